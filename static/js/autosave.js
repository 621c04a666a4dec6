/* Nothing typed is lost. Served as a file: no inline scripts (Content-Security-Policy).

   <form data-autosave="KEY" data-autosave-url="/api/.../ID/">
       The visit record: each change is sent to the server shortly after it is
       made (PATCH of the changed fields, JSON, the session and the form's CSRF
       token), 1.5 s after typing stops, at once when a switch, a date or a
       select changes or a field is left. Until the server has it, the input is
       kept in localStorage under KEY: a page loaded again (a reload, the
       network back, the phone restarted) puts it back, says so, and sends it.
   <form data-autosave="KEY" data-autosave-local>
       A form that is only sent by its own button (a complaint's inspection, a
       promotion receipt): what is typed, the drawn signature included, is kept
       in localStorage until the form is submitted successfully, and put back
       on the next load.
   <form data-autosave-carry="#record-form">
       "End visit" and "sign": on submit the fields of #record-form go with
       them (content_carried=1), so the server saves them in the same step.
       A data-confirm question of such a form names what is not saved yet.

   Inside a kept form, includes/autosave_status.html holds the status line
   ([data-autosave-status]) and the "restored" notice, and the texts (data-text-*)
   in the page's language. Leaving a page with unsaved input asks first
   (beforeunload). */
(function () {
  "use strict";

  var PREFIX = "autosave:";
  var SUBMITTED = "autosave:submitted";
  var TYPING_DELAY = 1500;
  var CHANGE_DELAY = 200;
  var RETRY_EVERY = 20000;
  var keepers = [];
  var submitting = false;

  function storageGet(key) {
    try {
      var raw = window.localStorage.getItem(PREFIX + key);
      return raw ? JSON.parse(raw) : null;
    } catch (error) {
      return null;
    }
  }

  function storageSet(key, values) {
    try {
      window.localStorage.setItem(
        PREFIX + key,
        JSON.stringify({ values: values, at: new Date().toISOString(), path: location.pathname })
      );
    } catch (error) {
      /* Storage full or refused: the server copy and the warning remain. */
    }
  }

  function storageDrop(key) {
    try {
      window.localStorage.removeItem(PREFIX + key);
    } catch (error) {
      /* Nothing kept. */
    }
  }

  function format(text, params) {
    return (text || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return name in params ? params[name] : match;
    });
  }

  function clock(date) {
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") {
        return false;
      }
      if (/^(file|submit|button|reset|image)$/.test(el.type)) {
        return false;
      }
      // Hidden inputs are the page's own, except a drawn signature.
      return el.type !== "hidden" || el.hasAttribute("data-signature-input");
    });
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        values[el.name] = el.checked;
      } else if (el.type === "radio") {
        if (el.checked) {
          values[el.name] = el.value;
        }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fields(form).forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(values, el.name)) {
        return;
      }
      var value = values[el.name];
      if (el.type === "checkbox") {
        el.checked = !!value;
      } else if (el.type === "radio") {
        el.checked = el.value === value;
      } else {
        el.value = value;
      }
    });
  }

  // The names whose value in ``values`` is not the one in ``than``.
  function changed(values, than) {
    return Object.keys(values).filter(function (name) {
      return values[name] !== than[name];
    });
  }

  function hasErrors(form) {
    return !!form.querySelector("[data-error-summary], .is-invalid, [aria-invalid='true']");
  }

  function labelOf(form, name) {
    var el = form.elements[name];
    if (el && el.id) {
      var label = form.querySelector("label[for='" + el.id + "']");
      if (label) {
        return label.textContent.replace(/\s+/g, " ").trim();
      }
    }
    return name;
  }

  function Keeper(form) {
    this.form = form;
    this.key = form.getAttribute("data-autosave");
    this.url = form.getAttribute("data-autosave-url");
    this.local = form.hasAttribute("data-autosave-local") || !this.url;
    this.status = form.querySelector("[data-autosave-status]");
    this.notice = form.querySelector("[data-autosave-restored]");
    this.timer = null;
    this.inflight = false;
    this.again = false;
    this.waiting = false; // the last try did not reach the server
    var errors = hasErrors(form);
    // What the server holds (the form as rendered), unless it came back with
    // errors: then none of it is stored yet.
    this.saved = errors ? {} : read(form);
    var kept = storageGet(this.key);
    if (errors) {
      // The page shows what was sent and why it was refused: keep it as it is.
      storageSet(this.key, read(form));
    } else if (kept && kept.values && changed(kept.values, this.saved).length) {
      write(form, kept.values);
      this.restored(kept.at);
      storageSet(this.key, read(form));
      if (!this.local) {
        this.schedule(0);
      }
    } else if (kept) {
      storageDrop(this.key);
    }
    if (this.local && this.unsaved() && !(this.notice && !this.notice.hidden)) {
      // (A restored form's notice says so already.)
      this.say("kept");
    }
    var self = this;
    form.addEventListener("input", function (event) {
      self.edited(event.target.type === "checkbox" ? CHANGE_DELAY : TYPING_DELAY);
    });
    form.addEventListener("change", function (event) {
      var typed = /^(text|textarea|search|email|tel|url|number)$/.test(event.target.type);
      // A text field's change is its leaving (blur): send now, typing is over.
      self.edited(typed ? 0 : CHANGE_DELAY);
    });
  }

  Keeper.prototype.text = function (name) {
    return (this.status && this.status.getAttribute("data-text-" + name)) || "";
  };

  Keeper.prototype.say = function (name, params) {
    if (!this.status) {
      return;
    }
    this.status.textContent = format(this.text(name), params || {});
    this.status.setAttribute("data-state", name);
    this.status.classList.toggle("text-danger", name === "failed");
    this.status.classList.toggle("text-success", name === "saved");
    this.status.classList.toggle("text-body-secondary", name !== "failed" && name !== "saved");
  };

  Keeper.prototype.restored = function (at) {
    if (!this.notice) {
      return;
    }
    var when = at ? new Date(at) : new Date();
    this.notice.textContent = format(this.notice.getAttribute("data-text"), { time: clock(when) });
    this.notice.hidden = false;
  };

  Keeper.prototype.unsavedNames = function () {
    return changed(read(this.form), this.saved);
  };

  Keeper.prototype.unsaved = function () {
    return this.unsavedNames().length > 0;
  };

  Keeper.prototype.edited = function (delay) {
    if (this.unsaved()) {
      storageSet(this.key, read(this.form));
    } else {
      storageDrop(this.key);
    }
    updateConfirms();
    if (this.local) {
      this.say(this.unsaved() ? "kept" : "", {});
      return;
    }
    this.schedule(delay);
  };

  Keeper.prototype.schedule = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.save();
    }, delay);
  };

  Keeper.prototype.payload = function (names, values) {
    var body = {};
    var form = this.form;
    names.forEach(function (name) {
      var el = form.elements[name];
      var value = values[name];
      // An empty date is no date.
      body[name] = el && el.type === "date" && value === "" ? null : value;
    });
    return body;
  };

  Keeper.prototype.reason = function (response, data) {
    if (response.status === 401 || response.status === 403) {
      return this.text("session");
    }
    if (data && typeof data === "object") {
      if (data.detail) {
        return String(data.detail);
      }
      var form = this.form;
      var names = Object.keys(data);
      if (names.length) {
        var first = data[names[0]];
        var message = Array.isArray(first) ? first.join(" ") : String(first);
        return names[0] === "non_field_errors" ? message : labelOf(form, names[0]) + ": " + message;
      }
    }
    return "HTTP " + response.status;
  };

  Keeper.prototype.save = function () {
    if (this.local || submitting) {
      return;
    }
    if (this.inflight) {
      this.again = true;
      return;
    }
    var values = read(this.form);
    var names = changed(values, this.saved);
    if (!names.length) {
      storageDrop(this.key);
      return;
    }
    storageSet(this.key, values);
    if (navigator.onLine === false) {
      this.waiting = true;
      this.say("failed", { reason: this.text("offline") });
      return;
    }
    var self = this;
    var token = this.form.querySelector("[name=csrfmiddlewaretoken]");
    this.inflight = true;
    this.say("saving");
    window
      .fetch(this.url, {
        method: "PATCH",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        body: JSON.stringify(this.payload(names, values)),
      })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            self.waiting = false;
            if (response.ok) {
              names.forEach(function (name) {
                self.saved[name] = values[name];
              });
              if (self.unsaved()) {
                storageSet(self.key, read(self.form));
              } else {
                storageDrop(self.key);
              }
              self.say("saved", { time: clock(new Date()) });
            } else {
              self.say("failed", { reason: self.reason(response, data) });
            }
            updateConfirms();
          });
      })
      .catch(function () {
        self.waiting = true;
        var offline = navigator.onLine === false;
        self.say("failed", { reason: self.text(offline ? "offline" : "unreachable") });
      })
      .then(function () {
        self.inflight = false;
        if (self.again) {
          self.again = false;
          self.save();
        }
      });
  };

  function keeperOf(form) {
    for (var i = 0; i < keepers.length; i += 1) {
      if (keepers[i].form === form) {
        return keepers[i];
      }
    }
    return null;
  }

  // A "carry" form's confirm question names what is not saved yet (it goes with it).
  function updateConfirms() {
    document.querySelectorAll("form[data-autosave-carry][data-confirm]").forEach(function (form) {
      if (!form.hasAttribute("data-autosave-question")) {
        form.setAttribute("data-autosave-question", form.getAttribute("data-confirm"));
      }
      var question = form.getAttribute("data-autosave-question");
      var source = document.querySelector(form.getAttribute("data-autosave-carry"));
      var keeper = source && keeperOf(source);
      var names = keeper ? keeper.unsavedNames() : [];
      if (names.length) {
        var zh = /^zh/i.test(document.documentElement.lang || "");
        var labels = names.map(function (name) {
          return labelOf(source, name);
        });
        question += " " + format(keeper.text("unsaved"), { fields: labels.join(zh ? "、" : ", ") });
      }
      form.setAttribute("data-confirm", question);
    });
  }

  function carry(form) {
    var source = document.querySelector(form.getAttribute("data-autosave-carry"));
    if (!source) {
      return;
    }
    form.querySelectorAll("[data-autosave-carried]").forEach(function (el) {
      el.remove();
    });
    var add = function (name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      input.setAttribute("data-autosave-carried", "");
      form.appendChild(input);
    };
    fields(source).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) {
          add(el.name, el.value);
        }
      } else {
        add(el.name, el.value);
      }
    });
    add("content_carried", "1");
  }

  // After crm.js's confirm: only a submit that goes ahead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) {
      return;
    }
    var keeper = keeperOf(form);
    if (form.hasAttribute("data-autosave-carry")) {
      carry(form);
      submitting = true;
    }
    if (keeper) {
      submitting = true;
      if (keeper.local) {
        // Dropped when the next page no longer shows the form (it was accepted).
        storageSet(keeper.key, read(form));
        try {
          window.sessionStorage.setItem(SUBMITTED, keeper.key);
        } catch (error) {
          /* Then it is kept, and offered again on the form. */
        }
      }
    }
    keepers.forEach(function (k) {
      window.clearTimeout(k.timer);
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (submitting) {
      return;
    }
    var unsaved = keepers.some(function (keeper) {
      return keeper.unsaved();
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back from the page cache: a submit that went ahead no longer speaks for the page.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      submitting = false;
    }
  });

  window.addEventListener("online", function () {
    keepers.forEach(function (keeper) {
      keeper.save();
    });
  });

  window.setInterval(function () {
    keepers.forEach(function (keeper) {
      if (keeper.waiting) {
        keeper.save();
      }
    });
  }, RETRY_EVERY);

  // Registered before the pages' own scripts (base.html loads this file first):
  // restored values are in place when visits.js marks the ticked items and
  // signature.js draws a kept signature.
  document.addEventListener("DOMContentLoaded", function () {
    var submitted = null;
    try {
      submitted = window.sessionStorage.getItem(SUBMITTED);
      window.sessionStorage.removeItem(SUBMITTED);
    } catch (error) {
      submitted = null;
    }
    var forms = document.querySelectorAll("form[data-autosave]");
    if (submitted) {
      var same = Array.prototype.filter.call(forms, function (form) {
        return form.getAttribute("data-autosave") === submitted;
      })[0];
      // Accepted: the answer redirected (a refused form comes back with its
      // errors, unredirected), or the page it led to no longer asks for it. A
      // submit that never reached the server leaves no page of ours to say so.
      var navigation = window.performance && window.performance.getEntriesByType
        ? window.performance.getEntriesByType("navigation")[0]
        : null;
      var redirected = !!navigation && navigation.redirectCount > 0;
      if (!same || (redirected && !hasErrors(same))) {
        storageDrop(submitted);
      }
    }
    forms.forEach(function (form) {
      keepers.push(new Keeper(form));
    });
    updateConfirms();
  });
})();
