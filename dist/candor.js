(() => {
  // build/transcrypt/org.transcrypt.__runtime__.js
  function dict(o) {
    return o || {};
  }
  function len(x) {
    return x.length;
  }
  function __in__(x, c) {
    return c.indexOf ? c.indexOf(x) > -1 : x in c;
  }

  // build/transcrypt/transport.js
  var pixel_url = function(win, collector, body) {
    var joiner = __in__("?", collector) ? "&" : "?";
    return collector + joiner + "d=" + win.encodeURIComponent(body);
  };
  var send = function(win, collector, body) {
    try {
      if (win.navigator.sendBeacon && win.navigator.sendBeacon(collector, body)) {
        return "beacon";
      }
    } catch (__except0__) {
    }
    var image = new win.Image(1, 1);
    image.src = pixel_url(win, collector, body);
    return "pixel";
  };

  // build/transcrypt/cookies.js
  var ID_COOKIE = "candor_id";
  var ID_MAX_AGE = "15552000";
  var OPTOUT_COOKIE = "candor_optout";
  var OPTOUT_MAX_AGE = "34560000";
  var read_cookie = function(doc, py_name) {
    try {
      var jar = doc.cookie;
    } catch (__except0__) {
      return null;
    }
    if (!jar) {
      return null;
    }
    for (var pair of jar.split(";")) {
      var parts = pair.split("=");
      if (parts[0].trim() == py_name && len(parts) == 2) {
        return parts[1].trim();
      }
    }
    return null;
  };
  var write_cookie = function(win, py_name, value, max_age) {
    var secure = win.location.protocol == "https:" ? "; Secure" : "";
    try {
      win.document.cookie = py_name + "=" + value + "; Max-Age=" + max_age + "; Path=/; SameSite=Lax" + secure;
    } catch (__except0__) {
    }
  };
  var delete_cookie = function(win, py_name) {
    write_cookie(win, py_name, "", "0");
  };

  // build/transcrypt/privacy.js
  var DNT_ON = ["1", "yes"];
  var do_not_track = function(win) {
    var nav = win.navigator;
    for (var value of [nav.doNotTrack, win.doNotTrack, nav.msDoNotTrack]) {
      if (__in__(value, DNT_ON)) {
        return true;
      }
    }
    return false;
  };
  var tracking_blockers = function(win) {
    var reasons = [];
    if (do_not_track(win)) {
      reasons.push("dnt");
    }
    if (win.navigator.globalPrivacyControl === true) {
      reasons.push("gpc");
    }
    if (read_cookie(win.document, OPTOUT_COOKIE) !== null) {
      reasons.push("optout");
    }
    return reasons;
  };

  // build/transcrypt/ids.js
  var HEX = "0123456789abcdef";
  var random_bytes = function(win, count) {
    var data = new win.Uint8Array(count);
    if (win.crypto && win.crypto.getRandomValues) {
      win.crypto.getRandomValues(data);
    } else {
      for (var i = 0; i < count; i++) {
        data[i] = win.Math.floor(win.Math.random() * 256);
      }
    }
    return data;
  };
  var hex_string = function(data, dashes_before) {
    var text = "";
    for (var i = 0; i < len(data); i++) {
      if (__in__(i, dashes_before)) {
        text += "-";
      }
      text += HEX[data[i] >> 4] + HEX[data[i] & 15];
    }
    return text;
  };
  var visitor_id = function(win) {
    return hex_string(random_bytes(win, 16), []);
  };
  var is_visitor_id = function(value) {
    if (value === null || len(value) != 32) {
      return false;
    }
    for (var char of value) {
      if (!__in__(char, HEX)) {
        return false;
      }
    }
    return true;
  };
  var uuid4 = function(win) {
    var data = random_bytes(win, 16);
    data[6] = data[6] & 15 | 64;
    data[8] = data[8] & 63 | 128;
    return hex_string(data, [4, 6, 8, 10]);
  };

  // build/transcrypt/payload.js
  var time_zone = function(win) {
    try {
      return win.Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (__except0__) {
      return null;
    }
  };
  var page_event = function(win, attrs) {
    return dict({ "id": uuid4(win), "type": "page", "ts": win.Date.now(), "url": win.location.href, "ref": win.document.referrer, "title": win.document.title, "lang": win.navigator.language, "tz": time_zone(win), "sw": win.screen.width, "sh": win.screen.height, "attrs": attrs || dict({}) });
  };
  var envelope = function(site, uid, events) {
    return dict({ "v": 1, "site": site, "uid": uid, "events": events });
  };

  // build/transcrypt/leaks.js
  var SETTLE_MS = 1e3;
  var MAX_HOSTS = 50;
  var count_request = function(hosts, fresh, host, kind) {
    for (var item of hosts) {
      if (item["host"] == host && item["kind"] == kind) {
        item["n"]++;
        return;
      }
    }
    if (len(hosts) < MAX_HOSTS) {
      var item = dict({ "host": host, "kind": kind, "n": 1 });
      hosts.push(item);
      fresh.push(item);
    }
  };
  var covers = function(domain, host) {
    return host == domain || host.endsWith("." + domain);
  };
  var is_invited = function(host, page_host, collector_host, allowed) {
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
  var host_name = function(win, url) {
    return new win.URL(url, win.location.href).hostname;
  };
  var allowed_hosts = function(win, config) {
    return (function() {
      var __accu0__ = [];
      for (var domain of config["allowedDomains"]) {
        __accu0__.push(host_name(win, "http://" + domain.trim()));
      }
      return __accu0__;
    })();
  };
  var leak_event = function(win, hosts) {
    return dict({ "id": uuid4(win), "type": "leak", "ts": win.Date.now(), "url": win.location.href, "hosts": hosts });
  };
  var watch_leaks = function(win, config, send_event2) {
    var hosts = [];
    var fresh = [[]];
    var note = function(entries) {
      try {
        var allowed = allowed_hosts(win, config);
        var collector_host = host_name(win, config["collector"]);
        for (var entry of entries) {
          var host = host_name(win, entry.name);
          if (host && !is_invited(host, win.location.hostname, collector_host, allowed)) {
            count_request(hosts, fresh[0], host, entry.initiatorType);
          }
        }
      } catch (__except0__) {
      }
    };
    var report = function() {
      try {
        note(observer.takeRecords());
        if (len(fresh[0])) {
          send_event2(leak_event(win, fresh[0]));
          fresh[0] = [];
        }
      } catch (__except0__) {
      }
    };
    var settle = function() {
      win.setTimeout(report, SETTLE_MS);
    };
    var observer = new win.PerformanceObserver((function __lambda__(entries) {
      return note(entries.getEntries());
    }));
    observer.observe(dict({ "type": "resource", "buffered": true }));
    if (win.document.readyState == "complete") {
      settle();
    } else {
      win.addEventListener("load", settle);
    }
    win.addEventListener("pagehide", report);
  };

  // build/transcrypt/config.js
  var SCRIPT_SETTINGS = [["site", "data-site"], ["collector", "data-collector"]];
  var INIT_SETTINGS = ["site", "collector", "autoPageview", "allowedDomains"];
  var default_config = function() {
    return dict({ "site": null, "collector": "/collect", "autoPageview": true, "allowedDomains": [] });
  };
  var own_script = function(doc) {
    return doc.currentScript || doc.querySelector("script[data-site]");
  };
  var config_from_script = function(doc) {
    var config = default_config();
    var script = own_script(doc);
    if (script) {
      for (var setting of SCRIPT_SETTINGS) {
        var value = script.getAttribute(setting[1]);
        if (value) {
          config[setting[0]] = value;
        }
      }
      var domains = script.getAttribute("data-allowed-domains");
      if (domains) {
        config["allowedDomains"] = domains.split(",");
      }
    }
    return config;
  };
  var apply_init = function(config, options) {
    if (!options) {
      return;
    }
    for (var key of INIT_SETTINGS) {
      if (options[key] != null) {
        config[key] = options[key];
      }
    }
  };

  // build/transcrypt/command_queue.js
  var install_command_queue = function(win, run) {
    var stub = win.candor;
    if (stub && stub.loaded) {
      return false;
    }
    var queued = stub && stub.q || [];
    var candor = function(command, first, second) {
      run(command, first, second);
    };
    candor.loaded = true;
    win.candor = candor;
    for (var args of queued) {
      run(args[0], args[1], args[2]);
    }
    return true;
  };

  // build/transcrypt/candor.js
  var __name__ = "__main__";
  var current_visitor_id = function(win) {
    var uid = read_cookie(win.document, ID_COOKIE);
    if (!is_visitor_id(uid)) {
      var uid = visitor_id(win);
    }
    write_cookie(win, ID_COOKIE, uid, ID_MAX_AGE);
    return uid;
  };
  var send_event = function(win, config, event) {
    if (len(tracking_blockers(win)) || !config["site"]) {
      return false;
    }
    var body = envelope(config["site"], current_visitor_id(win), [event]);
    send(win, config["collector"], win.JSON.stringify(body));
    return true;
  };
  var opt_out = function(win) {
    write_cookie(win, OPTOUT_COOKIE, "1", OPTOUT_MAX_AGE);
    delete_cookie(win, ID_COOKIE);
  };
  var renew_opt_out = function(win) {
    if (read_cookie(win.document, OPTOUT_COOKIE) !== null) {
      write_cookie(win, OPTOUT_COOKIE, "1", OPTOUT_MAX_AGE);
    }
  };
  var status = function(win, callback) {
    var reasons = tracking_blockers(win);
    callback(dict({ "tracking": len(reasons) == 0, "reasons": reasons }));
  };
  var command_runner = function(win, config) {
    var run = function(command, first, second) {
      try {
        if (command == "init") {
          apply_init(config, first);
        } else if (command == "page") {
          send_event(win, config, page_event(win, first));
        } else if (command == "optOut") {
          opt_out(win);
        } else if (command == "optIn") {
          delete_cookie(win, OPTOUT_COOKIE);
        } else if (command == "status") {
          status(win, first);
        }
      } catch (__except0__) {
      }
    };
    return run;
  };
  var boot = function(win) {
    try {
      var config = config_from_script(win.document);
      renew_opt_out(win);
      var run = command_runner(win, config);
      if (install_command_queue(win, run)) {
        if (config["autoPageview"]) {
          run("page", null, null);
        }
        watch_leaks(win, config, (function __lambda__(event) {
          return send_event(win, config, event);
        }));
      }
    } catch (__except0__) {
    }
  };
  if (__name__ == "__main__") {
    boot(window);
  }
})();
