// Search as you type: turns the header's search form into an ARIA 1.2 combobox listing
// products, aisles and shops from /api/suggest. Without JavaScript the form still submits
// to /recherche. Keys: ↓/↑ move, Entrée opens the highlighted suggestion (or searches),
// Échap closes the list.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !window.fetch) return;
  var form = input.form;
  var list = document.createElement("ul");
  list.id = "q-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  form.appendChild(list);
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var options = [];
  var active = -1;
  var timer = null;
  var asked = "";
  var controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function option(label, detail, url) {
    var li = document.createElement("li");
    li.id = "q-option-" + options.length;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.url = url;
    var main = document.createElement("span");
    main.textContent = label;
    li.appendChild(main);
    if (detail) {
      var small = document.createElement("small");
      small.textContent = " — " + detail;
      li.appendChild(small);
    }
    li.addEventListener("mousedown", function (event) {
      event.preventDefault();
      window.location.href = url;
    });
    options.push(li);
    return li;
  }

  function group(title) {
    var li = document.createElement("li");
    li.setAttribute("role", "presentation");
    li.className = "group";
    li.textContent = title;
    return li;
  }

  function show(data) {
    list.textContent = "";
    options = [];
    active = -1;
    if (data.products.length) {
      list.appendChild(group("Produits"));
      data.products.forEach(function (p) {
        list.appendChild(option(p.title, p.shop.name + " · " + p.price.text, p.url));
      });
    }
    if (data.aisles.length) {
      list.appendChild(group("Rayons"));
      data.aisles.forEach(function (a) { list.appendChild(option(a.name, "", a.url)); });
    }
    if (data.shops.length) {
      list.appendChild(group("Boutiques"));
      data.shops.forEach(function (s) { list.appendChild(option(s.name, "", s.url)); });
    }
    if (!options.length) {
      status.textContent = "Aucune suggestion";
      close();
      return;
    }
    status.textContent = options.length + " suggestions, flèches haut et bas pour les parcourir";
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (q.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    fetch("/api/suggest?q=" + encodeURIComponent(q), controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && input.value.trim() === q) show(data); })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      window.location.href = options[active].dataset.url;
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 0); });
})();
