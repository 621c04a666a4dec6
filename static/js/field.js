/* Visits in the field (/visits/field/): a visit logged with or without signal.

   The phone keeps (IndexedDB "crm-field"):
   - "bundle": the week's plan, the manager's customers and the checklist
     (GET /api/visits/field/, refreshed whenever the network allows);
   - "visits": each visit done here, with what was typed, by an id made on the
     phone, and its id on the server once the start has been sent;
   - "queue": the steps to send, in order, each with its own id (the
     Idempotency-Key): start, record content, suggestion, photo, end, signatures.

   Steps are sent one after the other on opening the page, when the network comes
   back, every 30 seconds and after each new step; a replay of a step whose answer
   was lost changes nothing on the server (core.idempotency). The times are the
   phone's (arrival, departure, signing); the server keeps its receipt beside them.
   A refused step (the customer was reassigned, the record is locked) stays on
   the phone with the reason; an expired session asks to log in again; nothing is
   dropped. */
(function () {
  "use strict";

  var app = document.querySelector("[data-field-app]");
  if (!app) {
    return;
  }
  var english = document.documentElement.lang === "en";
  function t(en, zh) {
    return english ? en : zh;
  }
  var DB_NAME = "crm-field";
  var CONTENT_FIELDS = ["order_suggestion", "findings", "customer_opinions", "revisit_on", "price_violation"];
  var state = { bundle: null, visit: null, sending: false, problem: null, session: false };

  // IndexedDB ------------------------------------------------------------------------

  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("bundle");
      db.createObjectStore("visits", { keyPath: "localId" });
      db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function store(name, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () {
          resolve(result instanceof IDBRequest ? result.result : result);
        };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function getAll(name) { return store(name, "readonly", function (s) { return s.getAll(); }); }
  function put(name, value, key) {
    return store(name, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
  }
  function remove(name, key) { return store(name, "readwrite", function (s) { return s.delete(key); }); }
  function getOne(name, key) { return store(name, "readonly", function (s) { return s.get(key); }); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  function now() { return new Date().toISOString(); }

  // The queue ---------------------------------------------------------------------------

  function enqueue(visit, kind, body) {
    var item = { localVisit: visit.localId, kind: kind, body: body, key: uuid(), queuedAt: now() };
    return put("queue", item).then(function () { return refresh(); }).then(sync);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    var input = app.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function firstMessage(data) {
    if (!data) {
      return "";
    }
    if (typeof data === "string") {
      return data;
    }
    if (Array.isArray(data)) {
      return firstMessage(data[0]);
    }
    if (data.detail) {
      return String(data.detail);
    }
    var keys = Object.keys(data);
    return keys.length ? keys[0] + ": " + firstMessage(data[keys[0]]) : "";
  }

  function request(item, visit) {
    if (item.kind === "promotion") {
      return fetch("/api/visits/promotions/", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Idempotency-Key": item.key,
          "X-CSRFToken": csrfToken(),
          Accept: "application/json",
          "Content-Type": "application/json"
        },
        body: JSON.stringify(item.body)
      });
    }
    var base = "/api/visits/records/";
    var url = item.kind === "start" ? base : base + visit.serverId + "/" + {
      content: "", suggestion: "suggestions/", photo: "photos/", end: "end/", sign: "sign/"
    }[item.kind];
    var options = {
      method: item.kind === "content" ? "PATCH" : "POST",
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrfToken(), Accept: "application/json" }
    };
    if (item.kind === "photo") {
      var form = new FormData();
      form.append("stage", item.body.stage);
      form.append("photo", item.body.blob, item.body.name || "photo.jpg");
      options.body = form;
    } else {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(item.body);
    }
    return fetch(url, options);
  }

  function sync() {
    if (state.sending) {
      return Promise.resolve();
    }
    state.sending = true;
    state.problem = null;
    return Promise.all([getAll("queue"), getAll("visits")]).then(function (all) {
      var queue = all[0];
      var visits = {};
      all[1].forEach(function (visit) { visits[visit.localId] = visit; });
      var blocked = {};
      var chain = Promise.resolve();
      queue.forEach(function (item) {
        chain = chain.then(function (stop) {
          if (stop || blocked[item.localVisit]) {
            return stop;
          }
          var visit = visits[item.localVisit];
          if (item.failed) {
            blocked[item.localVisit] = true;
            return false;
          }
          if (item.kind !== "start" && item.kind !== "promotion" && !visit.serverId) {
            blocked[item.localVisit] = true;
            return false;
          }
          return request(item, visit).then(function (response) {
            return response.text().then(function (text) {
              var data = null;
              try { data = text ? JSON.parse(text) : null; } catch (error) { data = null; }
              if (response.ok && !visit) {
                return remove("queue", item.seq).then(function () { return false; });
              }
              if (response.ok) {
                if (item.kind === "start" && data && data.id) {
                  visit.serverId = data.id;
                }
                if (data && data.status) {
                  visit.serverStatus = data.status;
                }
                return put("visits", visit).then(function () { return remove("queue", item.seq); })
                  .then(function () { return false; });
              }
              if (response.status === 401 || (response.status === 403 && /credentials|CSRF|认证|登录/i.test(text))) {
                state.session = true;
                return true;  // stop everything: log in again, then it goes on
              }
              item.failed = firstMessage(data) || (t("refused", "被拒绝") + " (" + response.status + ")");
              item.status = response.status;
              blocked[item.localVisit] = true;
              return put("queue", item).then(function () { return false; });
            });
          }, function () {
            return true;  // no network: try again later
          });
        });
      });
      return chain;
    }).then(function () {
      state.sending = false;
      return refresh();
    }, function (error) {
      state.sending = false;
      state.problem = String(error);
      return refresh();
    });
  }

  // Showing the state -------------------------------------------------------------------

  var statusBox = app.querySelector("[data-sync-status]");

  function refresh() {
    return Promise.all([getAll("queue"), getAll("visits")]).then(function (all) {
      var queue = all[0];
      var failed = queue.filter(function (item) { return item.failed; });
      var waiting = queue.length;
      statusBox.classList.remove("alert-secondary", "alert-success", "alert-warning", "alert-danger");
      statusBox.textContent = "";
      if (state.session) {
        statusBox.classList.add("alert-danger");
        statusBox.append(t("Your session has expired: log in again to send ", "登录已过期：请重新登录，以发送 ") +
          waiting + t(" waiting actions (nothing is lost). ", " 个待发送操作（不会丢失）。"));
        var link = document.createElement("a");
        link.href = app.getAttribute("data-login-url");
        link.textContent = t("Log in", "登录");
        statusBox.append(link);
      } else if (failed.length) {
        statusBox.classList.add("alert-danger");
        statusBox.textContent = t("Failed: ", "发送失败：") + failed[0].failed + " " +
          t("(kept on this phone; ask your regional manager if the customer was reassigned)",
            "（已保留在本机；如客户已转给他人，请联系区域经理）");
      } else if (waiting) {
        statusBox.classList.add("alert-warning");
        statusBox.textContent = waiting + t(" actions waiting", " 个操作待发送") +
          (navigator.onLine ? "" : t(" (no connection)", "（无网络）"));
      } else {
        statusBox.classList.add("alert-success");
        statusBox.textContent = t("Synced", "已同步");
      }
      statusBox.setAttribute("data-waiting", String(waiting));
      statusBox.setAttribute("data-failed", String(failed.length));
      renderLocal(all[1], queue);
    });
  }

  function customer(id) {
    var list = (state.bundle && state.bundle.customers) || [];
    for (var i = 0; i < list.length; i += 1) {
      if (list[i].id === id) {
        return list[i];
      }
    }
    return { id: id, name: "#" + id, code: "", address: "" };
  }

  function renderPlan() {
    var box = app.querySelector("[data-plan]");
    var select = app.querySelector("#field-customer");
    box.textContent = "";
    select.textContent = "";
    if (!state.bundle) {
      box.innerHTML = '<div class="list-group-item small text-body-secondary"></div>';
      box.firstChild.textContent = t("Open this page once with a connection to keep the plan on this phone.",
        "请先在有网络时打开一次此页面，以便在本机保存日程。");
      return;
    }
    var today = state.bundle.today;
    var entries = state.bundle.plan.filter(function (entry) { return entry.date === today; });
    if (!entries.length) {
      var empty = document.createElement("div");
      empty.className = "list-group-item small text-body-secondary";
      empty.textContent = t("No visit planned today.", "今天没有计划拜访。");
      box.append(empty);
    }
    entries.forEach(function (entry) {
      var who = customer(entry.customer);
      var row = document.createElement("div");
      row.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      row.setAttribute("data-testid", "field-plan-row");
      var text = document.createElement("div");
      text.innerHTML = "<div class='fw-semibold'></div><div class='small text-body-secondary'></div>";
      text.firstChild.textContent = who.name + (who.grade ? " · " + who.grade : "");
      text.lastChild.textContent = who.address || "";
      row.append(text);
      if (entry.visit) {
        var done = document.createElement("span");
        done.className = "badge text-bg-secondary";
        done.textContent = state.bundle.visit_statuses[entry.visit_status] || entry.visit_status;
        row.append(done);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-primary btn-touch";
        button.textContent = t("Start", "开始");
        button.setAttribute("data-start-planned", String(entry.id));
        button.addEventListener("click", function () {
          start({ planned: entry.id, customer: entry.customer });
        });
        row.append(button);
      }
      box.append(row);
    });
    var promotionSelect = app.querySelector("#field-promotion-customer");
    promotionSelect.textContent = "";
    state.bundle.customers.forEach(function (item) {
      var option = document.createElement("option");
      option.value = String(item.id);
      option.textContent = item.name + " (" + item.code + ")";
      select.append(option);
      if (item.promotion_allowed) {
        promotionSelect.append(option.cloneNode(true));
      }
    });
  }

  function renderLocal(visits, queue) {
    var list = app.querySelector("[data-local-visits]");
    list.textContent = "";
    visits.sort(function (a, b) { return a.arrivedAt < b.arrivedAt ? 1 : -1; });
    if (!visits.length) {
      var none = document.createElement("li");
      none.className = "list-group-item small text-body-secondary";
      none.textContent = t("Nothing yet.", "暂无。");
      list.append(none);
    }
    visits.forEach(function (visit) {
      var pending = queue.filter(function (item) { return item.localVisit === visit.localId; });
      var item = document.createElement("li");
      item.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      var open = document.createElement("button");
      open.type = "button";
      open.className = "btn btn-link p-0 text-start";
      open.textContent = customer(visit.customer).name + " · " + visit.arrivedAt.slice(11, 16);
      open.addEventListener("click", function () { show(visit); });
      var badge = document.createElement("span");
      badge.className = "badge " + (pending.some(function (p) { return p.failed; }) ? "text-bg-danger" :
        pending.length ? "text-bg-warning" : "text-bg-success");
      badge.textContent = pending.length ? pending.length + t(" waiting", " 待发送") : t("sent", "已发送");
      item.append(open, badge);
      list.append(item);
    });
  }

  // A visit -----------------------------------------------------------------------------

  var visitBox = app.querySelector("[data-visit]");
  var homeBox = app.querySelector("[data-home]");
  var contentForm = app.querySelector("[data-content]");

  function position() {
    return new Promise(function (resolve) {
      if (!("geolocation" in navigator)) {
        resolve(null);
        return;
      }
      navigator.geolocation.getCurrentPosition(function (where) {
        resolve({ latitude: where.coords.latitude.toFixed(6), longitude: where.coords.longitude.toFixed(6) });
      }, function () { resolve(null); }, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
  }

  function start(what) {
    return position().then(function (where) {
      var visit = {
        localId: uuid(),
        customer: what.customer,
        planned: what.planned || null,
        specialReason: what.reason || "",
        arrivedAt: now(),
        content: {},
        suggestions: [],
        photos: [],
        stage: "in_progress"
      };
      var body = { arrived_at: visit.arrivedAt };
      if (visit.planned) {
        body.planned_visit = visit.planned;
      } else {
        body.customer = visit.customer;
        body.special_reason = visit.specialReason;
      }
      if (where) {
        body.latitude = where.latitude;
        body.longitude = where.longitude;
      }
      return put("visits", visit).then(function () {
        show(visit);
        return enqueue(visit, "start", body);
      });
    });
  }

  function readContent() {
    var content = {};
    state.bundle.checklist.forEach(function (item) {
      content[item.field] = contentForm.elements[item.field].checked;
      content[item.field + "_note"] = contentForm.elements[item.field + "_note"].value;
    });
    CONTENT_FIELDS.forEach(function (name) {
      var input = contentForm.elements[name];
      content[name] = input.type === "checkbox" ? input.checked : (input.value || (name === "revisit_on" ? null : ""));
    });
    return content;
  }

  function writeContent(content) {
    Array.prototype.forEach.call(contentForm.elements, function (input) {
      if (!input.name) {
        return;
      }
      var value = content[input.name];
      if (input.type === "checkbox") {
        input.checked = Boolean(value);
      } else {
        input.value = value === null || value === undefined ? "" : value;
      }
    });
  }

  function keepTyping() {
    if (!state.visit || state.visit.stage !== "in_progress") {
      return;
    }
    state.visit.content = readContent();
    put("visits", state.visit);
  }
  contentForm.addEventListener("input", keepTyping);
  contentForm.addEventListener("change", keepTyping);

  function show(visit) {
    state.visit = visit;
    homeBox.hidden = true;
    visitBox.hidden = false;
    var who = customer(visit.customer);
    visitBox.querySelector("[data-visit-title]").textContent = who.name;
    visitBox.querySelector("[data-visit-meta]").textContent = (who.code || "") + " · " +
      t("arrived ", "到达 ") + new Date(visit.arrivedAt).toLocaleTimeString();
    writeContent(visit.content || {});
    var open = visit.stage === "in_progress";
    Array.prototype.forEach.call(contentForm.elements, function (input) { input.disabled = !open; });
    visitBox.querySelector("[data-end-box]").hidden = !open;
    visitBox.querySelector("[data-suggestion-add]").disabled = !open;
    visitBox.querySelectorAll("[data-field-photo]").forEach(function (input) { input.disabled = !open; });
    visitBox.querySelector('[data-sign-step="manager"]').hidden = visit.stage !== "ended";
    visitBox.querySelector('[data-sign-step="customer"]').hidden = visit.stage !== "manager_signed";
    visitBox.querySelector("[data-visit-done]").hidden = visit.stage !== "locked";
    var list = visitBox.querySelector("[data-suggestions]");
    list.textContent = "";
    visit.suggestions.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.append(li);
    });
    visitBox.querySelectorAll("[data-photo-list]").forEach(function (box) {
      box.textContent = "";
      visit.photos.filter(function (photo) { return photo.stage === box.getAttribute("data-photo-list"); })
        .forEach(function (photo) {
          var img = document.createElement("img");
          img.src = URL.createObjectURL(photo.blob);
          img.height = 72;
          img.className = "rounded border";
          img.alt = "";
          box.append(img);
        });
    });
    // The signature boxes were hidden: size them now.
    window.dispatchEvent(new Event("resize"));
    window.scrollTo(0, 0);
  }

  visitBox.querySelector("[data-back]").addEventListener("click", function () {
    state.visit = null;
    visitBox.hidden = true;
    homeBox.hidden = false;
    refresh();
  });

  visitBox.querySelector("[data-suggestion-add]").addEventListener("click", function () {
    var box = visitBox.querySelector("[data-suggestion-text]");
    var text = box.value.trim();
    if (!text || !state.visit) {
      return;
    }
    box.value = "";
    state.visit.suggestions.push(text);
    put("visits", state.visit).then(function () {
      show(state.visit);
      return enqueue(state.visit, "suggestion", { text: text });
    });
  });

  visitBox.querySelectorAll("[data-field-photo]").forEach(function (input) {
    input.addEventListener("change", function () {
      // photos.js scales the photo first and marks the input data-ready.
      var wait = function () {
        if (!input.files || !input.files[0]) {
          return;
        }
        if (!input.hasAttribute("data-ready")) {
          setTimeout(wait, 100);
          return;
        }
        var file = input.files[0];
        input.removeAttribute("data-ready");
        var photo = { stage: input.getAttribute("data-field-photo"), blob: file, name: file.name };
        state.visit.photos.push(photo);
        input.value = "";
        put("visits", state.visit).then(function () {
          show(state.visit);
          return enqueue(state.visit, "photo", photo);
        });
      };
      setTimeout(wait, 50);
    });
  });

  visitBox.querySelector("[data-end]").addEventListener("click", function () {
    var visit = state.visit;
    visit.content = readContent();
    visit.stage = "ended";
    visit.departedAt = now();
    position().then(function (where) {
      var end = { departed_at: visit.departedAt };
      if (where) {
        end.latitude = where.latitude;
        end.longitude = where.longitude;
      }
      // What was typed goes first: the end carries every field.
      return put("visits", visit).then(function () {
        show(visit);
        return enqueue(visit, "content", visit.content);
      }).then(function () { return enqueue(visit, "end", end); });
    });
  });

  visitBox.querySelectorAll("[data-sign]").forEach(function (button) {
    button.addEventListener("click", function () {
      var role = button.getAttribute("data-sign");
      var step = visitBox.querySelector('[data-sign-step="' + role + '"]');
      var image = step.querySelector("[data-signature-input]").value;
      var name = role === "customer" ? visitBox.querySelector("[data-signer-name]").value.trim() : "";
      if (!image || (role === "customer" && !name)) {
        step.classList.add("border", "border-danger");
        return;
      }
      step.classList.remove("border", "border-danger");
      var visit = state.visit;
      visit.stage = role === "manager" ? "manager_signed" : "locked";
      var body = { role: role, image: image, signed_at: now() };
      if (name) {
        body.signer_name = name;
      }
      put("visits", visit).then(function () {
        show(visit);
        return enqueue(visit, "sign", body);
      });
    });
  });

  app.querySelector("[data-special]").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var reason = form.elements.special_reason.value.trim();
    if (!reason) {
      form.elements.special_reason.classList.add("is-invalid");
      return;
    }
    form.elements.special_reason.value = "";
    start({ customer: parseInt(form.elements.customer.value, 10), reason: reason });
  });

  var promotionForm = app.querySelector("[data-promotion]");
  promotionForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var form = promotionForm;
    var image = form.querySelector("[data-signature-input]").value;
    var field = function (name) { return form.querySelector("[name=" + name + "]").value.trim(); };
    var body = {
      customer: parseInt(field("customer"), 10),
      // Not form.elements.item: that is the collection's item() method.
      item: field("item"),
      quantity: parseInt(field("quantity"), 10),
      signer_name: field("signer_name"),
      signature: image
    };
    var complete = body.customer && body.item && body.quantity > 0 && body.signer_name && image;
    form.querySelector("[data-promotion-error]").hidden = Boolean(complete);
    if (!complete) {
      return;
    }
    form.reset();
    var clear = form.querySelector("[data-signature-clear]");
    if (clear) {
      clear.click();
    }
    form.querySelector("[data-promotion-done]").hidden = false;
    var item = {
      localVisit: "promotion-" + uuid(),
      kind: "promotion",
      body: body,
      key: uuid(),
      queuedAt: now()
    };
    put("queue", item).then(refresh).then(sync);
  });

  app.querySelector("[data-sync-now]").addEventListener("click", function () {
    state.session = false;
    sync();
  });

  // Starting ----------------------------------------------------------------------------

  function loadBundle() {
    return fetch(app.getAttribute("data-bundle-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (bundle) {
      state.bundle = bundle;
      return put("bundle", bundle, "current");
    });
  }

  getOne("bundle", "current").then(function (kept) {
    state.bundle = kept || null;
    renderPlan();
    return loadBundle().then(renderPlan, function () { /* offline: the kept one */ });
  }).then(refresh).then(sync).then(function () {
    app.setAttribute("data-ready", "true");
  });

  window.addEventListener("online", function () {
    state.session = false;
    loadBundle().then(renderPlan, function () {});
    sync();
  });
  window.addEventListener("offline", refresh);
  setInterval(function () {
    if (navigator.onLine) {
      sync();
    }
  }, 30000);
})();
