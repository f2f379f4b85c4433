/* Alrim pages: small enhancements. Everything works without this file. */
(function () {
  "use strict";

  /* Search autocomplete: an ARIA 1.2 combobox over GET /api/v1/search/suggest?q= */
  function suggestionsOf(data) {
    var out = [];
    if (!data) return out;
    var words = data.words || data.suggestions || (Array.isArray(data) ? data : []);
    words.forEach(function (w) {
      var text = typeof w === "string" ? w : (w.text || w.word || w.name || "");
      if (text) out.push({ kind: "word", text: text });
    });
    (data.services || []).forEach(function (s) {
      if (s && s.service_id && s.name) out.push({ kind: "service", text: s.name, id: s.service_id });
    });
    return out.slice(0, 10);
  }

  function setupCombobox(input, n) {
    var listId = input.id + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "alrim-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "추천 검색어");
    list.hidden = true;
    input.parentNode.appendChild(list);
    var live = document.createElement("p");
    live.className = "sr-only";
    live.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [], active = -1, timer = null, seq = 0;

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(i) {
      var nodes = list.querySelectorAll("li");
      nodes.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && nodes[i]) {
        input.setAttribute("aria-activedescendant", nodes[i].id);
        nodes[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(i) {
      var item = items[i];
      if (!item) return;
      if (item.kind === "service") {
        window.location.href = "/services/" + encodeURIComponent(item.id);
        return;
      }
      input.value = item.text;
      close();
      input.form.submit();
    }
    function render(found) {
      items = found;
      list.innerHTML = "";
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = item.text;
        if (item.kind === "service") {
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = "서비스";
          li.appendChild(kind);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var open = found.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      live.textContent = open ? "추천 검색어 " + found.length + "개. 위아래 화살표로 고르세요." : "";
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var mine = ++seq;
      fetch("/api/v1/search/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (mine === seq) render(suggestionsOf(data)); })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        if (list.hidden) { fetchSuggestions(); return; }
        e.preventDefault(); highlight(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp") {
        if (list.hidden) return;
        e.preventDefault(); highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
        e.preventDefault(); choose(active);
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    document.querySelectorAll("input[data-suggest]").forEach(setupCombobox);
    document.querySelectorAll("[data-print-now]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      var target = document.getElementById(e.detail.target.id) || e.detail.target;
      var focus = target && target.querySelector ? target.querySelector("[data-autofocus]") : null;
      if (focus) focus.focus();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
