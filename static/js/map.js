/* The relationships map: partners as points, relationships as arcs across the
 * Pacific, over the outlines in static/map/outlines.json. Plain SVG, no library, nothing
 * loaded from another site. Pan: drag, one finger, or the arrow keys; zoom: wheel, pinch,
 * the + and − buttons or keys. Click, tap or Enter on a line or a point shows the pair. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var MIN_ZOOM = 1, MAX_ZOOM = 40;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    return node;
  }

  /* The projection of scripts/build_map_assets.py. */
  function projector(p) {
    return function (lng, lat) {
      if (lng < 0) lng += 360;
      return [(lng - p.lon0) * p.xScale * p.unit, (p.lat0 - lat) * p.unit];
    };
  }

  /* A gentle arc from a to b (projected points), bowed north like a route across the
   * Pacific: a quadratic curve whose control point is lifted by a fifth of the distance. */
  function arc(a, b) {
    var mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
    var lift = Math.hypot(b[0] - a[0], b[1] - a[1]) / 5;
    return "M" + a[0].toFixed(1) + " " + a[1].toFixed(1) + "Q" + mx.toFixed(1) + " " + (my - lift).toFixed(1) +
      " " + b[0].toFixed(1) + " " + b[1].toFixed(1);
  }

  /* A partner's names as plain text, the reader's language first: "Kobe 神戸市", or with the
   * other in brackets: "Kobe (神戸市)". */
  function nameOf(partner, brackets) {
    var names = partner.names.map(function (n) { return n[0]; });
    if (names.length < 2) return names[0] || "";
    return brackets ? names[0] + " (" + names.slice(1).join(", ") + ")" : names.join(" ");
  }

  function init(root) {
    var data = JSON.parse(document.getElementById(root.dataset.map).textContent);
    var labels = data.labels;
    var viewport = root.querySelector(".map-viewport");
    var toolbar = root.querySelector(".map-toolbar");
    var info = root.querySelector(".map-info");
    var help = root.querySelector(".map-help");

    fetch(root.dataset.outlines, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (outlines) { draw(outlines); })
      .catch(function () { /* the list on the page still says it all */ });

    function draw(outlines) {
      var project = projector(outlines.projection);
      var full = outlines.viewBox.slice();
      var svg = el("svg", {
        viewBox: full.join(" "), role: "group", "aria-label": labels.map,
        preserveAspectRatio: "xMidYMid meet", focusable: "false"
      });
      el("rect", { x: full[0], y: full[1], width: full[2], height: full[3], class: "map-sea" }, svg);
      el("path", { d: outlines.land, class: "map-land" }, svg);
      outlines.us.forEach(function (f) { el("path", { d: f.d, class: "map-region map-us" }, svg); });
      outlines.jp.forEach(function (f) { el("path", { d: f.d, class: "map-region map-jp" }, svg); });
      var mixed = data.links.some(function (l) { return !l.primary; });
      var lineLayer = el("g", { class: "map-lines" + (mixed ? " mixed" : "") }, svg);
      var pointLayer = el("g", { class: "map-points" }, svg);

      var byPartner = {};
      var lineNodes = {};
      var ordered = data.links.slice().sort(function (a, b) { return (a.primary ? 1 : 0) - (b.primary ? 1 : 0); });
      ordered.forEach(function (link) {
        var us = data.partners[link.us], jp = data.partners[link.jp];
        var d = arc(project(jp.lng, jp.lat), project(us.lng, us.lat));
        var name = nameOf(us, true) + " – " + nameOf(jp, true) + ", " + link.kind + (link.established ? ", " + link.established : "");
        var group = el("g", { class: "map-link" + (link.primary ? " primary" : ""), tabindex: "0", role: "button", "aria-label": name }, lineLayer);
        el("path", { d: d, class: "map-line-hit" }, group);
        el("path", { d: d, class: "map-line" }, group);
        el("title", {}, group).textContent = name;
        group.dataset.link = link.id;
        /* A line standing for many relationships (a state and a prefecture) is drawn thicker. */
        if (link.count) group.style.setProperty("--weight", Math.min(1 + Math.log2(link.count), 9).toFixed(1) + "px");
        lineNodes[link.id] = group;
        (byPartner[link.us] = byPartner[link.us] || []).push(link);
        (byPartner[link.jp] = byPartner[link.jp] || []).push(link);
      });
      var points = [];
      Object.keys(data.partners).forEach(function (id) {
        var partner = data.partners[id];
        var xy = project(partner.lng, partner.lat);
        var dot = el("circle", {
          cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: 3,
          class: "map-point " + (partner.country === "US" ? "us" : "jp") + (String(data.focus) === id ? " focus" : "")
        }, pointLayer);
        el("title", {}, dot).textContent = nameOf(partner);
        dot.dataset.partner = id;
        points.push(dot);
      });

      viewport.textContent = "";
      viewport.appendChild(svg);
      viewport.setAttribute("tabindex", "0");
      viewport.setAttribute("role", "region");
      viewport.setAttribute("aria-label", labels.map);
      viewport.setAttribute("aria-describedby", help.id = help.id || "map-help");
      toolbar.hidden = false;
      help.hidden = false;
      root.classList.add("map-ready");

      /* The view: a rectangle of the map, kept inside it. */
      var view = fitView();

      function fitView() {
        var xs = [], ys = [];
        points.forEach(function (p) { xs.push(+p.getAttribute("cx")); ys.push(+p.getAttribute("cy")); });
        if (!xs.length) return full.slice();
        var pad = 40;
        var x0 = Math.min.apply(null, xs) - pad, x1 = Math.max.apply(null, xs) + pad;
        var y0 = Math.min.apply(null, ys) - pad * 3, y1 = Math.max.apply(null, ys) + pad;
        return clampRect([x0, y0, x1 - x0, y1 - y0]);
      }

      function clampRect(r) {
        var aspect = full[2] / full[3];
        var w = Math.max(r[2], r[3] * aspect), h = w / aspect;
        w = Math.min(full[2], Math.max(full[2] / MAX_ZOOM, w));
        h = w / aspect;
        var cx = r[0] + r[2] / 2, cy = r[1] + r[3] / 2;
        var x = Math.min(full[0] + full[2] - w, Math.max(full[0], cx - w / 2));
        var y = Math.min(full[1] + full[3] - h, Math.max(full[1], cy - h / 2));
        return [x, y, w, h];
      }

      function apply() {
        view = clampRect(view);
        svg.setAttribute("viewBox", view.map(function (n) { return n.toFixed(2); }).join(" "));
        var scale = view[2] / full[2];
        svg.style.setProperty("--map-scale", scale);
        var r = Math.max(0.35, 3.2 * Math.sqrt(scale));
        points.forEach(function (p) { p.setAttribute("r", r.toFixed(2)); });
      }

      function zoom(factor, cx, cy) {
        if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
        var w = view[2] / factor, h = view[3] / factor;
        view = [cx - (cx - view[0]) / factor, cy - (cy - view[1]) / factor, w, h];
        apply();
      }

      function pan(dx, dy) { view = [view[0] + dx, view[1] + dy, view[2], view[3]]; apply(); }

      function toMap(clientX, clientY) {
        var box = svg.getBoundingClientRect();
        var s = Math.max(view[2] / box.width, view[3] / box.height);
        var ox = (box.width - view[2] / s) / 2, oy = (box.height - view[3] / s) / 2;
        return [view[0] + (clientX - box.left - ox) * s, view[1] + (clientY - box.top - oy) * s, s];
      }

      apply();

      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        if (button.dataset.zoom === "in") zoom(1.6);
        else if (button.dataset.zoom === "out") zoom(1 / 1.6);
        else { view = fitView(); apply(); }
      });

      viewport.addEventListener("keydown", function (event) {
        var step = view[2] / 8, handled = true;
        if (event.key === "ArrowLeft") pan(-step, 0);
        else if (event.key === "ArrowRight") pan(step, 0);
        else if (event.key === "ArrowUp") pan(0, -step);
        else if (event.key === "ArrowDown") pan(0, step);
        else if (event.key === "+" || event.key === "=") zoom(1.6);
        else if (event.key === "-" || event.key === "_") zoom(1 / 1.6);
        else if (event.key === "0") { view = fitView(); apply(); }
        else if ((event.key === "Enter" || event.key === " ") && event.target.dataset.link) show(event.target, true);
        else if (event.key === "Escape") hide();
        else handled = false;
        if (handled) event.preventDefault();
      });

      viewport.addEventListener("focusin", function (event) {
        var group = event.target.closest && event.target.closest(".map-link");
        if (!group) return;
        /* Bring a line reached with Tab into view. */
        var box = group.getBBox();
        var cx = box.x + box.width / 2, cy = box.y + box.height / 2;
        if (cx < view[0] || cx > view[0] + view[2] || cy < view[1] || cy > view[1] + view[3]) {
          view = [cx - view[2] / 2, cy - view[3] / 2, view[2], view[3]];
          apply();
        }
      });

      viewport.addEventListener("wheel", function (event) {
        event.preventDefault();
        var at = toMap(event.clientX, event.clientY);
        zoom(event.deltaY < 0 ? 1.25 : 0.8, at[0], at[1]);
      }, { passive: false });

      /* Drag with a mouse or one finger; pinch with two. A press that hardly moves is a click. */
      var pointers = new Map(), start = null, pinch = null;
      svg.addEventListener("pointerdown", function (event) {
        pointers.set(event.pointerId, [event.clientX, event.clientY]);
        try { svg.setPointerCapture(event.pointerId); } catch (e) { /* ignore */ }
        if (pointers.size === 1) start = { x: event.clientX, y: event.clientY, view: view.slice(), target: event.target, moved: false };
        if (pointers.size === 2) {
          var p = Array.from(pointers.values());
          pinch = { distance: Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]), view: view.slice() };
          if (start) start.moved = true;
        }
      });
      svg.addEventListener("pointermove", function (event) {
        if (!pointers.has(event.pointerId)) return;
        pointers.set(event.pointerId, [event.clientX, event.clientY]);
        if (pointers.size === 2 && pinch) {
          var p = Array.from(pointers.values());
          var distance = Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]);
          var mid = toMap((p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2);
          var factor = distance / pinch.distance;
          pinch.distance = distance;
          zoom(factor, mid[0], mid[1]);
        } else if (pointers.size === 1 && start) {
          var s = toMap(0, 0)[2];
          var dx = event.clientX - start.x, dy = event.clientY - start.y;
          if (Math.abs(dx) + Math.abs(dy) > 6) start.moved = true;
          if (start.moved) {
            view = [start.view[0] - dx * s, start.view[1] - dy * s, view[2], view[3]];
            apply();
          }
        }
      });
      function release(event) {
        pointers.delete(event.pointerId);
        if (pointers.size < 2) pinch = null;
        if (pointers.size === 0 && start) {
          if (!start.moved && event.type === "pointerup") pick(start.target);
          start = null;
        } else if (pointers.size === 1) {
          var rest = Array.from(pointers.values())[0];
          start = { x: rest[0], y: rest[1], view: view.slice(), target: null, moved: true };
        }
      }
      svg.addEventListener("pointerup", release);
      svg.addEventListener("pointercancel", release);

      function pick(target) {
        if (!target || !target.closest) return;
        var dot = target.closest("[data-partner]");
        var group = target.closest("[data-link]");
        if (dot) showPartner(dot.dataset.partner);
        else if (group) show(group, false);
        else hide();
      }

      var selected = null;
      function select(nodes) {
        if (selected) selected.forEach(function (n) { n.classList.remove("selected"); });
        selected = nodes;
        nodes.forEach(function (n) { n.classList.add("selected"); });
      }

      /* The reader's language first, the other marked with its own lang (names as the server
       * ordered them, by rules/names.name_pair). */
      function partnerLink(partner) {
        var names = partner.names;
        var wrap = document.createDocumentFragment();
        wrap.appendChild(html("a", names[0][0], { href: partner.url, lang: names[0][1] }));
        // The other language's name in brackets, as every page writes it: "Kobe (神戸市)".
        names.slice(1).forEach(function (other, n) {
          wrap.appendChild(document.createTextNode(n ? ", " : " ("));
          wrap.appendChild(html("span", other[0], { lang: other[1] }));
        });
        if (names.length > 1) wrap.appendChild(document.createTextNode(")"));
        return wrap;
      }

      function panel(fromKeyboard, returnTo) {
        info.textContent = "";
        info.hidden = false;
        var close = html("button", labels.close, { type: "button", class: "map-close" });
        close.addEventListener("click", function () { hide(); if (returnTo) returnTo.focus(); });
        info.appendChild(close);
        if (fromKeyboard) setTimeout(function () { info.focus(); }, 0);
        return info;
      }

      function show(group, fromKeyboard) {
        var link = data.links.filter(function (l) { return String(l.id) === group.dataset.link; })[0];
        var us = data.partners[link.us], jp = data.partners[link.jp];
        var box = panel(fromKeyboard, group);
        var p = html("p", "", { class: "map-pair" });
        p.appendChild(partnerLink(us));
        p.appendChild(document.createTextNode(" – "));
        p.appendChild(partnerLink(jp));
        box.appendChild(p);
        box.appendChild(html("p", link.kind + (link.established ? " · " + link.established : ""), { class: "muted" }));
        var more = html("p");
        more.appendChild(html("a", labels.details, { href: link.url, "data-details": "" }));
        box.appendChild(more);
        select([group]);
      }

      function showPartner(id) {
        var partner = data.partners[id], links = byPartner[id] || [];
        var box = panel(false);
        var p = html("p", "", { class: "map-pair" });
        p.appendChild(partnerLink(partner));
        box.appendChild(p);
        box.appendChild(html("p", labels.onMap, { class: "muted" }));
        var list = html("ul", "", { class: "plain" });
        links.slice(0, 12).forEach(function (link) {
          var other = data.partners[String(link.us) === id ? link.jp : link.us];
          var li = html("li");
          li.appendChild(partnerLink(other));
          li.appendChild(document.createTextNode(" · "));
          li.appendChild(html("a", labels.details, { href: link.url, "data-details": "" }));
          list.appendChild(li);
        });
        if (links.length > 12) list.appendChild(html("li", labels.more.replace("%(count)s", links.length - 12)));
        box.appendChild(list);
        select(links.map(function (l) { return lineNodes[l.id]; }).filter(Boolean));
      }

      function hide() {
        info.hidden = true;
        info.textContent = "";
        if (selected) selected.forEach(function (n) { n.classList.remove("selected"); });
        selected = null;
      }
    }
  }

  document.querySelectorAll("[data-map]").forEach(init);
})();
