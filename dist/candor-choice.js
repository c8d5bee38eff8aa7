(() => {
  // build/transcrypt-choice/org.transcrypt.__runtime__.js
  function len(x) {
    return x.length;
  }
  function __in__(x, c) {
    return c.indexOf(x) > -1;
  }

  // build/transcrypt-choice/cookies.js
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

  // build/transcrypt-choice/choice_element.js
  var REASON_TEXTS = [["optout", "you opted out: this browser keeps the candor_optout cookie"], ["dnt", "your browser sends Do Not Track"], ["gpc", "your browser sends Global Privacy Control"], ["consent", "this site has not received your consent"], ["child", "this page is meant for children, who are never counted"], ["tcf", "your choice in this site's consent dialog"], ["gpp", "your choice in this site's consent dialog"], ["nosite", "this page names no site"]];
  var reason_text = (reason) => {
    for (var pair of REASON_TEXTS) {
      if (pair[0] == reason) {
        return pair[1];
      }
    }
    return reason;
  };
  var status_text = (status) => {
    if (status.tracking) {
      return "Candor is counting visits from this browser: you have not opted out, and your browser sends neither Do Not Track nor Global Privacy Control.";
    }
    var text = "Candor collects nothing from this browser: ";
    for (var index = 0; index < len(status.reasons); index++) {
      text += (index ? "; " : "") + reason_text(status.reasons[index]);
    }
    return text + ".";
  };
  var choice_settings = (win, script) => {
    for (var source of [script, win.document.querySelector("script[data-site]")]) {
      if (source && source.getAttribute("data-site")) {
        return { "site": source.getAttribute("data-site"), "collector": source.getAttribute("data-collector") || "/collect" };
      }
    }
    return null;
  };
  var collector_url = (win, settings, path) => {
    return new win.URL(path, new win.URL(settings["collector"], win.location.href)).href;
  };
  var forget_id = (win) => {
    var labels = win.location.hostname.split(".");
    var domain = "";
    set_cookie(win, "candor_id", "", "0", "");
    while (len(labels)) {
      var domain = labels.pop() + domain;
      set_cookie(win, "candor_id", "", "0", domain);
      var domain = "." + domain;
    }
  };
  var add = (win, parent, tag, text) => {
    var child = win.document.createElement(tag);
    child.textContent = text;
    parent.appendChild(child);
    return child;
  };
  var button = (win, parent, text, action) => {
    var control = add(win, parent, "button", text);
    control.type = "button";
    control.addEventListener("click", action);
    return control;
  };
  var ask_collector = (win, settings, path, uid, answered) => {
    var body = win.JSON.stringify({ "site": settings["site"], "uid": uid });
    win.fetch(collector_url(win, settings, path), { "method": "POST", "body": body }).then(((answer) => {
      return answer.json();
    })).then(answered).catch(((error) => {
      return answered(null);
    }));
  };
  var date_text = (win, ms) => {
    var iso = new win.Date(ms).toISOString();
    return iso.substring(0, 10) + " " + iso.substring(11, 16);
  };
  var records_table = (win, parent, events) => {
    var table = add(win, parent, "table", "");
    var row = add(win, table, "tr", "");
    for (var heading of ["received (UTC)", "type", "page", "title", "came from", "browser"]) {
      add(win, row, "th", heading);
    }
    for (var event of events) {
      var row = add(win, table, "tr", "");
      var source = (event.ref_type || "") + (event.ref_source ? " (" + event.ref_source + ")" : "");
      for (var text of [date_text(win, event.received_at), event.type + (event.name ? ": " + event.name : ""), event.url, event.title || "", source, event.browser || ""]) {
        add(win, row, "td", text);
      }
    }
  };
  var show_data = (win, element, settings, refresh) => {
    var section = add(win, element, "div", "");
    section.setAttribute("data-candor-data", "");
    var uid = read_cookie(win.document, "candor_id");
    if (!uid) {
      add(win, section, "p", "This browser has no candor_id cookie, so nothing stored is linked to it.");
      return;
    }
    var waiting = add(win, section, "p", "Looking up what is stored for this browser...");
    var deleted = (answer) => {
      if (answer && answer.deleted !== null) {
        forget_id(win);
      }
      refresh();
    };
    var answered = (answer) => {
      try {
        if (!answer || answer.events == null) {
          waiting.textContent = "Your data could not be loaded" + (answer && answer.error ? ": " + answer.error : ".");
          return;
        }
        var count = len(answer.events);
        waiting.textContent = "Stored for this browser's random id " + uid + " in the last " + answer.retentionDays + " days: " + count + (count == 1 ? " record." : " records.");
        if (count) {
          records_table(win, section, answer.events);
        }
        button(win, section, "Delete my data", (() => {
          return ask_collector(win, settings, "my-data/delete.json", uid, deleted);
        }));
      } catch (__except0__) {
      }
    };
    ask_collector(win, settings, "my-data.json", uid, answered);
  };
  var render = (win, element, settings, status) => {
    var refresh = () => {
      render_with_status(win, element, settings);
    };
    var choose = (command) => {
      win.candor(command);
      refresh();
    };
    try {
      element.textContent = "";
      element.setAttribute("data-candor-status", status.tracking ? "on" : "off");
      add(win, element, "p", status_text(status));
      if (__in__("optout", status.reasons)) {
        button(win, element, "Opt back in", (() => {
          return choose("optIn");
        }));
        if (len(status.reasons) > 1) {
          add(win, element, "p", "Opting back in does not override the other reasons above.");
        }
      } else {
        button(win, element, "Opt out", (() => {
          return choose("optOut");
        }));
        add(win, element, "p", "Opting out forgets this browser's random id: delete your data first to remove what is stored.");
      }
      if (settings) {
        show_data(win, element, settings, refresh);
      }
    } catch (__except0__) {
    }
  };
  var render_with_status = (win, element, settings) => {
    win.candor("status", ((status) => {
      return render(win, element, settings, status);
    }));
  };
  var queue_stub = (win) => {
    if (!win.candor) {
      var stub = (command, first, second) => {
        stub.q.push([command, first, second]);
      };
      stub.q = [];
      win.candor = stub;
    }
  };
  var boot_choice = (win, script) => {
    var start = () => {
      try {
        var settings = choice_settings(win, script);
        var elements = win.document.querySelectorAll("[data-candor-choice]");
        for (var index = 0; index < elements.length; index++) {
          render_with_status(win, elements[index], settings);
        }
      } catch (__except0__) {
      }
    };
    try {
      queue_stub(win);
      if (win.document.readyState == "loading") {
        win.document.addEventListener("DOMContentLoaded", start);
      } else {
        start();
      }
    } catch (__except0__) {
    }
  };
  boot_choice(window, document.currentScript);
})();
