# Candor's own Transcrypt runtime: it replaces the stock one, which weighs 5.7 KB gzip and
# adds about 70 enumerable methods to Array/String/Function/Uint8Array prototypes of the
# host page. This one exports only the helpers generated tag code calls, as plain module
# functions: it touches no prototype and creates no global. build.py fails the build when
# generated code needs a stock runtime name that is not exported here. Transcrypt's
# dict ({...}) around dict literals is unwrapped by build.py (tighten), so dict is not needed.
#
# len: the length of a string, array or arguments object.
# __in__: Python's `in` for strings and arrays (indexOf). Not for plain objects: the tag asks
# keys_of(object) (Object.keys) instead, so this stays one indexOf.
#__pragma__ ('js', '{}', 'export function len (x) { return x.length; }\nexport function __in__ (x, c) { return c.indexOf (x) > -1; }')
