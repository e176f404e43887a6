/* publisher serve: the page. Plain JavaScript, no library; every text from the server is set
   with textContent (never as HTML), so a name in a workbook stays a name. */
"use strict";

const LEVEL = { error: "错误", warning: "警告" };
const STAGE = { check: "正在检查", build: "正在生成", pack: "正在打包" };
const SHOWN_PER_FILE = 500;
const state = { files: new Map(), info: null, checked: null, findings: [], busy: false, checkSeq: 0, making: "" };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, Object.assign({ credentials: "same-origin" }, options));
  } catch (e) {
    throw new Error("无法连接服务器；请确认 publisher serve 仍在运行，然后刷新网页");
  }
  if (response.status === 401) {
    window.location.href = "/login";
    throw new Error("需要访问口令");
  }
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) {
    throw new Error((body && body.error) || `服务器返回了错误（${response.status}）`);
  }
  return { body, response };
}

function megabytes(bytes) {
  if (bytes < 1048576) return Math.max(1, Math.round(bytes / 1024)) + "\u00a0KB";
  return (bytes / 1048576).toFixed(bytes % 1048576 ? 1 : 0) + "\u00a0MB";
}

/* ---------------------------------------------------------------- the office's folder */

async function loadInfo() {
  try {
    const { body } = await api("/api/info");
    state.info = body;
    const office = body.office;
    const parts = [];
    if (office.folder) {
      parts.push(`服务器上的项目文件夹：${office.folder}`);
      if (office.issuer || office.city) parts.push([office.issuer, office.city, office.year ? office.year + " 年度" : ""].filter(Boolean).join(" "));
      if (office.sources.length) parts.push(`已有 ${office.sources.length} 个源文件（${office.sources.slice(0, 4).join("、")}${office.sources.length > 4 ? "…" : ""}），会和上传的文件一起使用`);
    } else {
      parts.push("服务器没有指定项目文件夹：只使用上传的文件");
    }
    parts.push(`一次最多上传 ${megabytes(body.max_upload)}`);
    $("office").textContent = parts.join(" · ");
    renderFormats(body.formats);
  } catch (e) {
    $("office").textContent = e.message;
  }
}

function renderFormats(formats) {
  const box = $("formats");
  for (const f of formats) {
    box.append(el("label", { class: "check" }, el("input", { type: "checkbox", name: "format", value: f.name, checked: true }), ` ${f.label}（${f.name}）`));
  }
}

/* ---------------------------------------------------------------- choosing files */

function addFiles(list) {
  for (const file of list) state.files.set(file.name, file);
  renderChosen();
  runCheck();
}

function renderChosen() {
  const ul = $("chosen");
  ul.replaceChildren();
  for (const [name, file] of state.files) {
    ul.append(el("li", {}, el("span", { class: "name" }, name), el("span", { class: "size" }, megabytes(file.size)),
      el("button", { type: "button", class: "remove", "aria-label": `移除 ${name}`, title: "移除",
        onclick: () => { state.files.delete(name); renderChosen(); runCheck(); } }, "×")));
  }
}

function formWith(extra) {
  const form = new FormData();
  for (const file of state.files.values()) form.append("files", file, file.name);
  for (const [key, value] of Object.entries(extra || {})) if (value !== null && value !== undefined) form.append(key, value);
  return form;
}

/* ---------------------------------------------------------------- checking */

async function runCheck() {
  const seq = ++state.checkSeq;
  $("upload-error").hidden = true;
  $("result").replaceChildren();
  $("progress-box").hidden = true;
  if (!state.files.size && !(state.info && state.info.office.sources.length)) {
    $("step-check").hidden = true; $("step-build").hidden = true;
    return;
  }
  $("step-check").hidden = false;
  $("summary").textContent = "正在检查…";
  $("summary").className = "summary";
  $("findings").replaceChildren();
  try {
    const { body, response } = await api("/api/check", { method: "POST", body: formWith() });
    if (seq !== state.checkSeq) return;
    const jobId = response.headers.get("publisher-job");
    const job = jobId ? (await api(`/api/jobs/${jobId}`)).body : { can: [], schools: [], annotated: [], notes: [] };
    if (seq !== state.checkSeq) return;
    state.checked = job;
    state.findings = body;
    renderFindings($("findings"), body, job.annotated);
    renderSummary(body, job.notes);
    renderKinds(job.can, job.schools, body.some((f) => f.level === "error"));
  } catch (e) {
    if (seq !== state.checkSeq) return;
    $("step-check").hidden = true;
    $("step-build").hidden = true;
    showError(e.message);
  }
}

function showError(message) {
  const p = $("upload-error");
  p.textContent = message;
  p.hidden = false;
}

function renderSummary(findings, notes) {
  const errors = findings.filter((f) => f.level === "error").length;
  const warnings = findings.length - errors;
  const summary = $("summary");
  if (!findings.length) {
    summary.textContent = "检查完毕，没有发现问题。";
    summary.className = "summary ok";
  } else {
    summary.textContent = `共 ${errors} 个错误，${warnings} 个警告。` + (errors ? "有错误时不会生成文件：请按下表修改源文件后重新上传。" : "警告不影响生成，但请核对。");
    summary.className = "summary " + (errors ? "bad" : "warn");
  }
  for (const note of notes || []) summary.append(el("br"), el("span", { class: "note" }, note));
}

function cellOf(f) {
  if (f.column && f.row) return `${f.column}${f.row}`;
  if (f.row) return `第 ${f.row} 行`;
  return "";
}

function renderFindings(box, findings, annotated) {
  box.replaceChildren();
  const byFile = new Map();
  for (const f of findings) {
    if (!byFile.has(f.file)) byFile.set(f.file, []);
    byFile.get(f.file).push(f);
  }
  const marked = new Map((annotated || []).map((a) => [a.file, a.url]));
  for (const [file, items] of byFile) {
    const errors = items.filter((f) => f.level === "error").length;
    const head = el("div", { class: "file-head" },
      el("h3", {}, file),
      el("span", { class: "counts" }, `${errors} 个错误，${items.length - errors} 个警告`));
    const link = marked.get(file);
    if (link) head.append(el("a", { class: "button small", href: link, download: "" }, "下载标注后的工作簿"));
    const tbody = el("tbody");
    for (const f of items.slice(0, SHOWN_PER_FILE)) {
      tbody.append(el("tr", { class: f.level },
        el("td", { "data-label": "工作表" }, f.sheet || ""),
        el("td", { "data-label": "位置" }, cellOf(f)),
        el("td", { "data-label": "级别" }, el("span", { class: "level " + f.level }, LEVEL[f.level] || f.level)),
        el("td", { "data-label": "问题", class: "message" }, f.message)));
    }
    const table = el("table", { class: "findings" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "工作表"), el("th", { scope: "col" }, "位置"),
        el("th", { scope: "col" }, "级别"), el("th", { scope: "col" }, "问题"))), tbody);
    const group = el("div", { class: "file-group" }, head, table);
    if (items.length > SHOWN_PER_FILE) group.append(el("p", { class: "hint" }, `还有 ${items.length - SHOWN_PER_FILE} 条没有显示${link ? "；请下载标注后的工作簿查看全部" : ""}。`));
    box.append(group);
  }
}

/* ---------------------------------------------------------------- building */

function renderKinds(can, schools, hasErrors) {
  const box = $("kinds");
  box.replaceChildren();
  $("step-build").hidden = false;
  const warning = $("build-warning");
  warning.hidden = !hasErrors;
  warning.textContent = hasErrors ? "上面有错误：先修改源文件并重新上传，否则多数文件不会生成。" : "";
  if (!can.length) {
    box.append(el("p", { class: "hint" }, "上传的文件还不能生成任何文件：例如生成录取通知书需要录取名单和本年度目录。"));
    return;
  }
  box.append(el("button", { type: "button", class: "primary", "data-what": "all", onclick: () => startBuild("all", null, "全部文件") }, "全部生成"));
  for (const k of can) {
    if (k.what === "letters") {
      const select = el("select", { id: "school", "aria-label": "学校" }, el("option", { value: "" }, "全部学校"),
        schools.map((s) => el("option", { value: s }, s)));
      box.append(el("span", { class: "letters" },
        el("button", { type: "button", "data-what": "letters",
          onclick: () => startBuild("letters", select.value || null, `${k.label}（${select.value || "全部学校"}）`) }, k.label),
        select));
    } else {
      box.append(el("button", { type: "button", "data-what": k.what, onclick: () => startBuild(k.what, null, k.label) }, k.label));
    }
  }
}

function chosenFormats() {
  const boxes = [...document.querySelectorAll("#formats input[name=format]")];
  const checked = boxes.filter((b) => b.checked).map((b) => b.value);
  return checked.length === boxes.length ? null : checked.join(",");
}

function setBusy(busy) {
  state.busy = busy;
  for (const b of document.querySelectorAll("#kinds button, #kinds select, #files, #chosen button")) b.disabled = busy;
  $("drop").classList.toggle("disabled", busy);
}

async function startBuild(what, school, label) {
  if (state.busy) return;
  state.making = label;
  setBusy(true);
  const result = $("result");
  result.replaceChildren();
  showProgress({ state: "queued", stage: "", done: 0, total: 0 });
  try {
    const fields = { what, school, format: chosenFormats(), mask: $("mask").checked ? "true" : null };
    const { body } = await api("/api/build", { method: "POST", body: formWith(fields) });
    await follow(body.job);
  } catch (e) {
    $("progress-box").hidden = true;
    result.append(el("p", { class: "failed", role: "alert" }, e.message));
  } finally {
    setBusy(false);
  }
}

async function follow(jobId) {
  for (;;) {
    const { body: job } = await api(`/api/jobs/${jobId}`);
    showProgress(job);
    if (job.state === "done" || job.state === "failed") return showResult(job);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function showProgress(job) {
  $("progress-box").hidden = false;
  const bar = $("bar");
  const text = $("progress-text");
  const doing = `${STAGE[job.stage] || "正在生成"}${job.stage === "check" ? "" : state.making}…`;
  if (job.state === "queued") {
    bar.removeAttribute("value");
    text.textContent = "排队等待中（服务器正在处理其他任务）…";
  } else if (job.total > 0) {
    bar.max = job.total;
    bar.value = job.done;
    text.textContent = `${doing} ${job.done} / ${job.total}`;
  } else {
    bar.removeAttribute("value");
    text.textContent = doing;
  }
}

function showResult(job) {
  const result = $("result");
  result.replaceChildren();
  if (job.state === "failed") {
    $("progress-box").hidden = true;
    // findings other than those the check showed above come first: the message says "above"
    const same = JSON.stringify(job.findings) === JSON.stringify(state.findings);
    if (job.findings.length && !same) {
      const box = el("div");
      renderFindings(box, job.findings, job.annotated);
      result.append(box);
    }
    result.append(el("p", { class: "failed", role: "alert" }, job.message));
    return;
  }
  $("progress-text").textContent = `完成：生成了 ${job.files.length} 个文件（含 manifest.json 清单）`;
  result.append(el("p", {}, el("a", { class: "button primary", id: "download", href: job.download, download: "" },
    `下载全部文件（ZIP，${job.files.length} 个文件）`)));
  if (job.message) result.append(el("p", { class: "warning" }, job.message));
  for (const note of job.notes) result.append(el("p", { class: "note" }, note));
  const list = el("ul", { class: "files" }, job.files.slice(0, 40).map((f) => el("li", {}, f)));
  if (job.files.length > 40) list.append(el("li", { class: "hint" }, `……共 ${job.files.length} 个文件`));
  result.append(el("details", {}, el("summary", {}, "文件清单"), list));
}

/* ---------------------------------------------------------------- wiring */

function wire() {
  const drop = $("drop");
  const input = $("files");
  input.addEventListener("change", () => { addFiles(input.files); input.value = ""; });
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (e) => { e.preventDefault(); if (!state.busy) drop.classList.add("over"); });
  }
  for (const name of ["dragleave", "drop"]) drop.addEventListener(name, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    if (!state.busy && e.dataTransfer && e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
  });
  // a file dropped beside the zone must not make the browser leave the page
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  loadInfo().then(() => { if (state.info && state.info.office.sources.length) runCheck(); });
}

document.addEventListener("DOMContentLoaded", wire);
