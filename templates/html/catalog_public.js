/* Public catalog page: filter the embedded JSON by search words and selects; no network. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("catalog-data").textContent);
  var box = document.getElementById("q");
  var results = document.getElementById("results");
  var count = document.getElementById("count");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-field]"));
  var SCHOOL_FIELDS = ["city", "affiliation", "type"];

  function words(text) {
    return text.replace(/[\s\u3000,，、;；]+/g, " ").trim().toLowerCase().split(" ").filter(Boolean);
  }
  function has(text, word) { return String(text == null ? "" : text).toLowerCase().indexOf(word) >= 0; }

  function el(tag, cls, text, terms) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null && text !== "") mark(node, String(text), terms || []);
    return node;
  }
  /* Append text with the search words wrapped in <mark>, built as nodes (never innerHTML). */
  function mark(node, text, terms) {
    var lower = text.toLowerCase(), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      terms.forEach(function (t) {
        var at = lower.indexOf(t, i);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = t.length; }
      });
      if (best < 0) { node.appendChild(document.createTextNode(text.slice(i))); break; }
      if (best > i) node.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      node.appendChild(m);
      i = best + len;
    }
  }

  function state() {
    var s = { q: box.value };
    selects.forEach(function (sel) { s[sel.name] = sel.value; });
    return s;
  }

  function filter(s) {
    var terms = words(s.q), out = [];
    data.schools.forEach(function (school) {
      for (var k = 0; k < SCHOOL_FIELDS.length; k++) {
        var f = SCHOOL_FIELDS[k];
        if (s[f] && school[f] !== s[f]) return;
      }
      var majors = school.majors.filter(function (m) {
        if (s.level && m.level !== s.level) return false;
        if (s.years && String(m.years) !== s.years) return false;
        return terms.every(function (t) {
          return has(school.name, t) || has(school.city, t) || has(m.name, t) || has(m.code, t);
        });
      });
      if (majors.length) out.push({ school: school, majors: majors });
    });
    return { terms: terms, rows: out };
  }

  function render(found) {
    var terms = found.terms;
    results.textContent = "";
    var majors = 0, plan = 0;
    found.rows.forEach(function (r) {
      majors += r.majors.length;
      r.majors.forEach(function (m) { plan += m.plan || 0; });
    });
    count.textContent = found.rows.length === data.schools.length && majors === totalMajors
      ? "共 " + found.rows.length + " 所学校、" + majors + " 个专业，招生计划 " + plan + " 人"
      : "找到 " + found.rows.length + " 所学校、" + majors + " 个专业，招生计划 " + plan + " 人（全部 "
        + data.schools.length + " 所学校、" + totalMajors + " 个专业）";
    if (!found.rows.length) {
      results.appendChild(el("p", "empty", "没有找到符合条件的学校或专业，请换个关键词或清除筛选条件。"));
      return;
    }
    var table = el("table", "catalog");
    var head = el("thead"), tr = el("tr");
    var heads = (data.merged ? ["城市"] : []).concat(["学校名称", "类别", "隶属关系", "地址", "电话",
      "专业代码", "专业名称", "培养层次", "学制", "招生计划", "备注"]);
    heads.forEach(function (h) { tr.appendChild(el("th", "", h)); });
    head.appendChild(tr);
    table.appendChild(head);
    found.rows.forEach(function (r) {
      var body = el("tbody", "school");
      body.setAttribute("data-school", r.school.name);
      r.majors.forEach(function (m, i) {
        var row = el("tr", "major");
        if (i === 0) {
          var cells = (data.merged ? [["城市", r.school.city, "sc"]] : []).concat([
            ["学校名称", r.school.name, "sc s-name"], ["类别", r.school.type, "sc"],
            ["隶属关系", r.school.affiliation, "sc"], ["地址", r.school.address, "sc"],
            ["电话", r.school.phone, "sc nowrap"]]);
          cells.forEach(function (c) {
            var td = el("td", c[2], c[1], c[0] === "学校名称" || c[0] === "城市" ? terms : []);
            td.setAttribute("data-label", c[0]);
            td.rowSpan = r.majors.length;
            row.appendChild(td);
          });
        }
        [["专业代码", m.code, "mc code", terms], ["专业名称", m.name, "mc m-name", terms],
         ["培养层次", m.level, "mc"], ["学制", m.years != null ? m.years + "年" : "", "mc"],
         ["招生计划", m.plan != null ? m.plan + "人" : "", "mc num"], ["备注", m.note, "mc note"]
        ].forEach(function (c) {
          var td = el("td", c[2], c[1], c[3]);
          td.setAttribute("data-label", c[0]);
          row.appendChild(td);
        });
        body.appendChild(row);
      });
      table.appendChild(body);
    });
    results.appendChild(table);
  }

  var totalMajors = data.schools.reduce(function (n, s) { return n + s.majors.length; }, 0);

  function update(push) {
    var s = state();
    render(filter(s));
    if (push) {
      var params = [];
      Object.keys(s).forEach(function (k) { if (s[k]) params.push(k + "=" + encodeURIComponent(s[k])); });
      try { history.replaceState(null, "", params.length ? "?" + params.join("&") : location.pathname); }
      catch (e) { /* some browsers refuse for file:// pages; the page still works */ }
    }
  }

  /* Read ?q=…&level=… so links (and tests) can open the page already filtered. */
  function fromAddress() {
    var query = location.search.replace(/^\?/, "");
    query.split("&").forEach(function (pair) {
      if (!pair) return;
      var kv = pair.split("="), key = decodeURIComponent(kv[0]);
      var value = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
      if (key === "q") box.value = value;
      selects.forEach(function (sel) {
        if (sel.name === key && Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) {
          sel.value = value;
        }
      });
    });
  }

  box.addEventListener("input", function () { update(true); });
  selects.forEach(function (sel) { sel.addEventListener("change", function () { update(true); }); });
  document.getElementById("reset").addEventListener("click", function () {
    box.value = "";
    selects.forEach(function (sel) { sel.value = ""; });
    update(true);
  });
  fromAddress();
  update(false);
})();
