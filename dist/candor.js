(() => {
  // build/transcrypt/org.transcrypt.__runtime__.js
  function len(x) {
    return x.length;
  }
  function __in__(x, c) {
    return c.indexOf(x) > -1;
  }

  // build/transcrypt/notices.js
  var warn = (win, text) => {
    try {
      win.console.warn("candor: " + text);
    } catch (__except0__) {
    }
  };

  // build/transcrypt/transport.js
  var send = (win, collector, body) => {
    try {
      if (win.navigator.sendBeacon(collector, body)) {
        return;
      }
    } catch (__except0__) {
    }
    try {
      win.fetch(collector, { "method": "POST", "body": body, "keepalive": true }).then(((answer) => {
        return answer.ok || answer.json().then(((refusal) => {
          return warn(win, "refused: " + refusal.error);
        }));
      })).catch(((error) => {
        return null;
      }));
      return;
    } catch (__except0__) {
    }
    var image = new win.Image(1, 1);
    image.src = collector + (__in__("?", collector) ? "&" : "?") + "d=" + win.encodeURIComponent(body);
  };

  // build/transcrypt/scrub.js
  var digits_of = (text) => {
    var digits = "";
    var escape = 0;
    for (var char of text) {
      if (char == "%") {
        var escape = 3;
      }
      if (escape) {
        escape--;
      } else if (__in__(char, "0123456789")) {
        digits += char;
      }
    }
    return digits;
  };
  var luhn_valid = (digits) => {
    var total = 0;
    for (var i = 0; i < len(digits); i++) {
      total += (len(digits) - i & 1 ? "0123456789" : "0516273849").indexOf(digits[i]);
    }
    return Math.floor(total / 10) * 10 == total;
  };
  var card_replacer = (found) => {
    var digits = digits_of(found);
    return 13 <= len(digits) && len(digits) <= 19 && digits[0] < "7" && luhn_valid(digits) ? "[card]" : found;
  };
  var phone_replacer = (found) => {
    var digits = digits_of(found);
    if (9 <= len(digits) && len(digits) <= 15 && (len(digits) != 13 || digits[0] != "9")) {
      return "[phone]";
    }
    return found;
  };
  var parameter_replacer = (scrub_params) => {
    var replace = (found) => {
      var py_name = found.split("=")[0];
      var key = py_name.toLowerCase();
      for (var word of ["mail", "phone", "name", "pass", "pwd", "token", "secret", "ssn"]) {
        if (__in__(word, key)) {
          return py_name + "=";
        }
      }
      for (var listed of scrub_params || []) {
        if (key == key[0] + listed.toLowerCase()) {
          return py_name + "=";
        }
      }
      return found;
    };
    return replace;
  };
  var scrub_text = (value, scrub_params, replace_all) => {
    if (typeof value != "string") {
      return value;
    }
    var value = replace_all(value, "[?&;#][^=&#?;]+=[^&#;]*", parameter_replacer(scrub_params));
    var value = replace_all(value, "[\\w.%+-]+(@|%40)[A-Za-z\\d-]+(\\.[A-Za-z\\d-]+)*\\.[A-Za-z]{2,}", ((found) => {
      return "[email]";
    }));
    var value = replace_all(value, "\\d(([ +-]|%20)?\\d){12,}", card_replacer);
    var value = replace_all(value, "\\d{3}-\\d\\d-\\d{4}(?!\\d)", ((found) => {
      return "[ssn]";
    }));
    return replace_all(value, "([+(]|%2\\w){0,3}\\d(([ ()+-]|%2\\w){0,2}\\d){7,}\\d(?![\\d-]|:\\d)", phone_replacer);
  };
  var scrub_event = (event, scrub_params, replace_all, keys_of) => {
    for (var field of keys_of(event)) {
      var value = event[field];
      if (__in__(field, ["attrs", "props"]) && value) {
        for (var key of keys_of(value)) {
          value[key] = scrub_text(value[key], scrub_params, replace_all);
        }
      } else if (!__in__(field, ["id", "type"])) {
        event[field] = scrub_text(value, scrub_params, replace_all);
      }
    }
    return event;
  };
  var js_replace_all = (win) => {
    return ((text, pattern, replacer) => {
      return text.replace(win.RegExp(pattern, "g"), replacer);
    });
  };

  // build/transcrypt/cookies.js
  var read_cookie = (doc, py_name) => {
    try {
      for (var pair of doc.cookie.split(";")) {
        var parts = pair.split("=");
        if (parts[0].trim() == py_name && len(parts) == 2) {
          return parts[1].trim();
        }
      }
    } catch (__except0__) {
    }
    return null;
  };
  var set_cookie = (win, py_name, value, max_age, domain) => {
    var secure = win.location.protocol == "https:" ? "; Secure" : "";
    try {
      win.document.cookie = py_name + "=" + value + "; Max-Age=" + max_age + "; Path=/; SameSite=Lax" + (domain ? "; Domain=" + domain : "") + secure;
    } catch (__except0__) {
    }
  };
  var cookie_domain = (win, config) => {
    var domain = config["cookieDomain"];
    if (domain == "auto") {
      var domain = "";
      var labels = win.location.hostname.split(".");
      var candidate = "";
      while (len(labels) && !domain && win.isNaN(labels[0])) {
        var candidate = labels.pop() + candidate;
        set_cookie(win, "candor_probe", "1", "9", candidate);
        if (read_cookie(win.document, "candor_probe")) {
          set_cookie(win, "candor_probe", "", "0", candidate);
          var domain = candidate;
        }
        var candidate = "." + candidate;
      }
      config["cookieDomain"] = domain || "host";
    }
    return domain == "host" ? "" : domain;
  };
  var write_cookie = (win, config, py_name, value, max_age) => {
    set_cookie(win, py_name, value, max_age, cookie_domain(win, config));
  };
  var delete_cookie = (win, config, py_name) => {
    write_cookie(win, config, py_name, "", "0");
    set_cookie(win, py_name, "", "0", "");
  };

  // build/transcrypt/privacy.js
  var tracking_blockers = (win, config, decisions) => {
    var consent = decisions["consent"];
    var nav = win.navigator;
    var reasons = [];
    if (__in__(nav.doNotTrack, ["1", "yes"]) || __in__(win.doNotTrack, ["1", "yes"]) || __in__(nav.msDoNotTrack, ["1", "yes"])) {
      reasons.push("dnt");
    }
    if (nav.globalPrivacyControl === true) {
      reasons.push("gpc");
    }
    if (read_cookie(win.document, "candor_optout") !== null) {
      reasons.push("optout");
    }
    if (consent == "denied" || config["requireConsent"] && consent != "granted") {
      reasons.push("consent");
    }
    if (config["childDirected"]) {
      reasons.push("child");
    }
    for (var platform of ["tcf", "gpp"]) {
      if (decisions[platform] == "wait" || decisions[platform] == "denied") {
        reasons.push(platform);
      }
    }
    if (!config["site"]) {
      reasons.push("nosite");
    }
    return reasons;
  };
  var waiting_for_decisions = (reasons, decisions) => {
    for (var reason of reasons) {
      if (!__in__(reason, ["consent", "tcf", "gpp"]) || decisions[reason] != "wait") {
        return false;
      }
    }
    return len(reasons) > 0;
  };

  // build/transcrypt/ids.js
  var random_bytes = (win, count) => {
    return win.crypto.getRandomValues(new win.Uint8Array(count));
  };
  var hex_string = (data, dashes_before) => {
    var text = "";
    for (var i = 0; i < len(data); i++) {
      if (__in__(i, dashes_before)) {
        text += "-";
      }
      text += "0123456789abcdef"[data[i] >> 4] + "0123456789abcdef"[data[i] & 15];
    }
    return text;
  };
  var visitor_id = (win) => {
    return hex_string(random_bytes(win, 16), []);
  };
  var is_visitor_id = (value) => {
    if (value === null || len(value) != 32) {
      return false;
    }
    for (var char of value) {
      if (!__in__(char, "0123456789abcdef")) {
        return false;
      }
    }
    return true;
  };
  var uuid4 = (win) => {
    var data = random_bytes(win, 16);
    data[6] = data[6] & 15 | 64;
    data[8] = data[8] & 63 | 128;
    return hex_string(data, [4, 6, 8, 10]);
  };

  // build/transcrypt/payload.js
  var time_zone = (win) => {
    try {
      return win.Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (__except0__) {
      return null;
    }
  };
  var flat_map = (win, value) => {
    var clean = {};
    var kept = 0;
    if (typeof value == "object" && value) {
      for (var key of win.Object.keys(value)) {
        var kind = typeof value[key];
        if (__in__(kind, ["string", "number", "boolean"]) && (0 < len(key) && len(key) <= 64) && kept < 32) {
          clean[key] = kind == "string" ? value[key].substring(0, 512) : value[key];
          kept++;
        }
      }
    }
    return clean;
  };
  var base_event = (win, kind, ref) => {
    return { "id": uuid4(win), "type": kind, "ts": win.Date.now(), "url": win.location.href.substring(0, 2048), "ref": ref.substring(0, 2048), "title": win.document.title.substring(0, 512), "lang": win.navigator.language, "tz": time_zone(win), "sw": win.screen.width, "sh": win.screen.height };
  };
  var page_event = (win, attrs, ref) => {
    var event = base_event(win, "page", ref);
    event["attrs"] = flat_map(win, attrs);
    return event;
  };
  var named_event = (win, py_name, props) => {
    var event = base_event(win, "event", win.document.referrer);
    event["name"] = py_name.substring(0, 64);
    event["props"] = flat_map(win, props);
    return event;
  };
  var envelope = (site, uid, events) => {
    return { "v": 1, "site": site, "uid": uid, "events": events };
  };

  // build/transcrypt/tracker.js
  var create_tracker = (win, config) => {
    var decisions = { "consent": "wait", "tcf": null, "gpp": null };
    var pending = [];
    var scheduled = false;
    var blockers = () => {
      return tracking_blockers(win, config, decisions);
    };
    var send_batch = (uid, events) => {
      send(win, config["collector"], win.JSON.stringify(envelope(config["site"], uid, events)));
    };
    var flush = () => {
      try {
        scheduled = false;
        var events = pending;
        if (!len(events)) {
          return;
        }
        var reasons = blockers();
        if (waiting_for_decisions(reasons, decisions)) {
          return;
        }
        pending = [];
        if (len(reasons)) {
          return;
        }
        var uid = null;
        if (!config["cookieless"]) {
          var uid = read_cookie(win.document, "candor_id");
          if (!is_visitor_id(uid)) {
            var uid = visitor_id(win);
          }
          write_cookie(win, config, "candor_id", uid, "15552000");
        }
        var batch = [];
        var replace_all = js_replace_all(win);
        for (var event of events) {
          batch.push(scrub_event(event, config["scrubParams"], replace_all, win.Object.keys));
          if (len(batch) == 10) {
            send_batch(uid, batch);
            var batch = [];
          }
        }
        if (len(batch)) {
          send_batch(uid, batch);
        }
      } catch (__except0__) {
      }
    };
    var enqueue = (event) => {
      if (len(pending) < 50) {
        pending.push(event);
      }
      if (!scheduled) {
        scheduled = true;
        win.Promise.resolve().then(flush);
      }
    };
    var decide = (py_name, value) => {
      decisions[py_name] = value;
      flush();
    };
    var opt_out = () => {
      write_cookie(win, config, "candor_optout", "1", "34560000");
      delete_cookie(win, config, "candor_id");
      pending = [];
    };
    return { a: enqueue, b: flush, d: blockers, c: decide, e: opt_out };
  };
  var renew_opt_out = (win, config) => {
    if (read_cookie(win.document, "candor_optout") !== null) {
      write_cookie(win, config, "candor_optout", "1", "34560000");
    }
  };

  // build/transcrypt/leaks.js
  var count_request = (hosts, fresh, host, kind) => {
    for (var item of hosts) {
      if (item["host"] == host && item["kind"] == kind) {
        item["n"]++;
        return;
      }
    }
    if (len(hosts) < 50) {
      var item = { "host": host, "kind": kind, "n": 1 };
      hosts.push(item);
      fresh.push(item);
    }
  };
  var covers = (domain, host) => {
    return host == domain || host.endsWith("." + domain);
  };
  var is_invited = (host, page_host, collector_host, allowed) => {
    if (covers(host, page_host) || host == collector_host) {
      return true;
    }
    for (var domain of allowed) {
      if (covers(domain, host)) {
        return true;
      }
    }
    return false;
  };
  var host_name = (win, url) => {
    return new win.URL(url, win.location.href).hostname;
  };
  var allowed_hosts = (win, config) => {
    var hosts = [];
    for (var domain of config["allowedDomains"]) {
      hosts.push(host_name(win, "http://" + domain.trim()));
    }
    return hosts;
  };
  var watch_leaks = (win, config, send_event) => {
    var hosts = [];
    var fresh = [];
    var note = (entries) => {
      try {
        var allowed = allowed_hosts(win, config);
        var collector_host = host_name(win, config["collector"]);
        for (var entry of entries) {
          var host = host_name(win, entry.name);
          if (host && !is_invited(host, win.location.hostname, collector_host, allowed)) {
            count_request(hosts, fresh, host, entry.initiatorType);
          }
        }
      } catch (__except0__) {
      }
    };
    var report = () => {
      try {
        note(observer.takeRecords());
        if (len(fresh)) {
          send_event({ "id": uuid4(win), "type": "leak", "ts": win.Date.now(), "url": win.location.href, "hosts": fresh });
          fresh = [];
        }
      } catch (__except0__) {
      }
    };
    var settle = () => {
      win.setTimeout(report, 1e3);
    };
    try {
      var observer = new win.PerformanceObserver(((entries) => {
        return note(entries.getEntries());
      }));
      observer.observe({ "type": "resource", "buffered": true });
      if (win.document.readyState == "complete") {
        settle();
      } else {
        win.addEventListener("load", settle);
      }
      win.addEventListener("pagehide", report);
    } catch (__except0__) {
    }
  };

  // build/transcrypt/history.js
  var wrap_history_method = function(history, method, after) {
    var original = history[method];
    var wrapped = function() {
      var result = original.apply(this, arguments);
      after();
      return result;
    };
    history[method] = wrapped;
  };
  var watch_url_changes = function(win, page_view) {
    var seen = win.location.href;
    var changed = function() {
      try {
        if (win.location.href != seen) {
          page_view(seen);
          seen = win.location.href;
        }
      } catch (__except0__) {
      }
    };
    wrap_history_method(win.history, "pushState", changed);
    wrap_history_method(win.history, "replaceState", changed);
    win.addEventListener("popstate", changed);
  };

  // build/transcrypt/consent_platforms.js
  var tcf_decision = (tc_data, purposes) => {
    if (tc_data.gdprApplies === false) {
      return "granted";
    }
    for (var purpose of purposes) {
      if (!(tc_data.purpose.consents[purpose] || tc_data.publisher.consents[purpose])) {
        return "denied";
      }
    }
    return "granted";
  };
  var gpp_decision = (win, ping) => {
    var sections = ping.parsedSections;
    for (var py_name of win.Object.keys(sections)) {
      for (var field of ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut", "Gpc"]) {
        if (sections[py_name][field] == 1) {
          return "denied";
        }
      }
    }
    return "granted";
  };
  var answer_within_deadline = (win, decide, platform, fallback) => {
    var answered = false;
    var answer = (decision) => {
      answered = true;
      decide(platform, decision);
    };
    var expire = () => {
      if (!answered) {
        decide(platform, fallback);
      }
    };
    decide(platform, "wait");
    win.setTimeout(expire, 2e3);
    return answer;
  };
  var locator_frame = (win) => {
    var frame = win;
    while (true) {
      try {
        if (frame.frames["__tcfapiLocator"]) {
          return frame;
        }
      } catch (__except0__) {
      }
      if (frame == win.top) {
        return null;
      }
      var frame = frame.parent;
    }
  };
  var listen_tcf = (win, purposes, decide) => {
    var frame = win.__tcfapi ? null : locator_frame(win);
    if (!win.__tcfapi && !frame) {
      return false;
    }
    var answer = answer_within_deadline(win, decide, "tcf", "denied");
    var on_tc_data = (tc_data, success) => {
      try {
        if (success && __in__(tc_data.eventStatus, ["tcloaded", "useractioncomplete"])) {
          answer(tcf_decision(tc_data, purposes));
        }
      } catch (__except0__) {
      }
    };
    if (win.__tcfapi) {
      win.__tcfapi("addEventListener", 2, on_tc_data);
      return true;
    }
    var on_message = (event) => {
      try {
        var reply = event.data.__tcfapiReturn;
        if (event.source == frame && reply.callId == "candor") {
          on_tc_data(reply.returnValue, reply.success);
        }
      } catch (__except0__) {
      }
    };
    win.addEventListener("message", on_message);
    frame.postMessage({ "__tcfapiCall": { "command": "addEventListener", "version": 2, "callId": "candor" } }, "*");
    return true;
  };
  var listen_gpp = (win, decide) => {
    if (!win.__gpp) {
      return false;
    }
    var answer = answer_within_deadline(win, decide, "gpp", "granted");
    var on_event = (event) => {
      try {
        if (event.pingData.signalStatus == "ready") {
          answer(gpp_decision(win, event.pingData));
        }
      } catch (__except0__) {
      }
    };
    win.__gpp("addEventListener", on_event);
    return true;
  };
  var watch_consent_platforms = (win, config, decide) => {
    if (config["tcf"]) {
      try {
        listen_tcf(win, config["tcfPurposes"], decide);
      } catch (__except0__) {
      }
    }
    try {
      listen_gpp(win, decide);
    } catch (__except0__) {
    }
  };

  // build/transcrypt/config.js
  var default_config = () => {
    return { "site": null, "collector": null, "allowedDomains": [], "requireConsent": false, "childDirected": false, "autoPageview": true, "spa": true, "scrubParams": [], "cookieDomain": "auto", "cookieless": false, "tcf": true, "tcfPurposes": [1, 8] };
  };
  var attribute_name = (py_name) => {
    var text = "data-";
    for (var char of py_name) {
      text += char == char.toLowerCase() ? char : "-" + char.toLowerCase();
    }
    return text;
  };
  var setting_value = (win, py_default, value) => {
    if (py_default === true || py_default === false) {
      return value !== false && value != "false";
    }
    if (win.Array.isArray(py_default) && !win.Array.isArray(value)) {
      var parts = [];
      for (var part of value.split(",")) {
        var part = part.trim();
        if (part) {
          parts.push(part);
        }
      }
      return parts;
    }
    return value;
  };
  var apply_settings = (win, config, value_of) => {
    for (var py_name of win.Object.keys(config)) {
      var value = value_of(py_name);
      if (value != null) {
        config[py_name] = setting_value(win, config[py_name], value);
      }
    }
  };
  var config_from_script = (win) => {
    var config = default_config();
    var script = win.document.currentScript || win.document.querySelector("script[data-site]");
    if (script) {
      apply_settings(win, config, ((py_name) => {
        return script.getAttribute(attribute_name(py_name)) || null;
      }));
    }
    return config;
  };
  var apply_init = (win, config, options) => {
    if (!options) {
      return false;
    }
    apply_settings(win, config, ((py_name) => {
      return options[py_name];
    }));
  };
  var settings_problem = (config) => {
    var site = config["site"];
    var given = config["collector"];
    config["collector"] = given || "/collect";
    if (!site || len(site) > 64) {
      return "data-site";
    }
    if (!given || !(given.startsWith("/") || given.startsWith("http://") || given.startsWith("https://"))) {
      return "data-collector";
    }
    return null;
  };

  // build/transcrypt/command_queue.js
  var install_command_queue = (win, run) => {
    var stub = win.candor;
    if (stub && stub.loaded) {
      return false;
    }
    var queued = stub && stub.q || [];
    run.loaded = true;
    win.candor = run;
    for (var args of queued) {
      run(args[0], args[1], args[2]);
    }
    return true;
  };

  // build/transcrypt/candor.js
  var run_command = (win, config, tracker, command, first, second) => {
    if (command == "init") {
      return apply_init(win, config, first);
    }
    if (command == "page") {
      tracker.a(page_event(win, first, win.document.referrer));
    } else if (command == "event" && first) {
      tracker.a(named_event(win, first, second));
    } else if (command == "optOut") {
      tracker.e();
    } else if (command == "optIn") {
      delete_cookie(win, config, "candor_optout");
    } else if (command == "consent" && (first == "granted" || first == "denied")) {
      tracker.c("consent", first);
    } else if (command == "status") {
      var reasons = tracker.d();
      var status = { "tracking": !len(reasons), "reasons": reasons };
      if (config["cookieless"]) {
        status["cookieless"] = true;
      }
      first(status);
    } else {
      return false;
    }
  };
  var command_runner = (win, config, tracker) => {
    var run = (command, first, second) => {
      try {
        if (run_command(win, config, tracker, command, first, second) === false) {
          warn(win, "ignored " + command);
        }
      } catch (__except0__) {
        warn(win, "ignored " + command);
      }
    };
    return run;
  };
  var boot = (win) => {
    try {
      var config = config_from_script(win);
      var tracker = create_tracker(win, config);
      var run = command_runner(win, config, tracker);
      if (!install_command_queue(win, run)) {
        return;
      }
      var problem = settings_problem(config);
      if (problem) {
        warn(win, problem + " missing or malformed");
      }
      renew_opt_out(win, config);
      watch_consent_platforms(win, config, tracker.c);
      watch_leaks(win, config, tracker.a);
      win.addEventListener("pagehide", tracker.b);
      win.document.addEventListener("visibilitychange", (() => {
        return win.document.visibilityState == "hidden" ? tracker.b() : null;
      }));
      if (config["autoPageview"]) {
        run("page", null, null);
        if (config["spa"]) {
          watch_url_changes(win, ((ref) => {
            return tracker.a(page_event(win, null, ref));
          }));
        }
      }
    } catch (__except0__) {
    }
  };
  boot(window);
})();
