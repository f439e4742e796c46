import init, { validate, defaults } from "../pkg/kling_omni.js";

const $ = (id) => document.getElementById(id);
const provider = () => document.querySelector("input[name=provider]:checked").value;
const locale = () => document.querySelector("input[name=locale]:checked").value;

function item(issue, cls) {
  const li = document.createElement("li");
  li.className = cls;
  const code = document.createElement("code");
  code.className = "code";
  code.textContent = issue.code;
  const path = document.createElement("code");
  path.textContent = JSON.stringify(issue.path);
  li.append(code, " ", path, " — ", issue.message);
  return li;
}

function run() {
  const text = $("request").value;
  let report;
  try {
    report = validate(provider(), text, null, { locale: locale() });
  } catch (e) {
    $("summary").textContent = `${e.name}: ${e.message}`;
    $("summary").className = "error";
    $("request").setAttribute("aria-invalid", "true");
    for (const id of ["errors", "warnings", "unverified"]) $(id).replaceChildren();
    $("scenario").textContent = "—";
    return;
  }
  $("request").setAttribute("aria-invalid", String(!report.valid));
  $("summary").className = report.valid ? "ok" : "error";
  $("summary").textContent = report.valid
    ? (locale() === "zh" ? "请求有效" : "The request is valid")
    : `${report.errors.length} ${locale() === "zh" ? "个错误" : "error(s)"}`;
  $("scenario").textContent = report.scenario;
  $("errors").replaceChildren(...report.errors.map((i) => item(i, "error")));
  $("warnings").replaceChildren(...report.warnings.map((i) => item(i, "warning")));
  $("unverified").replaceChildren(...report.unverified.map((p) => {
    const li = document.createElement("li");
    li.textContent = JSON.stringify(p);
    return li;
  }));
}

function reset() {
  const d = defaults(provider());
  if (provider() === "o1") d.prompt = "A cat walks through <<<image_1>>>"; else d.input.prompt = "A cat walks through a garden";
  $("request").value = JSON.stringify(d, null, 2);
  run();
}

await init();
$("request").addEventListener("input", run);
$("reset").addEventListener("click", reset);
for (const r of document.querySelectorAll("input[name=provider]")) r.addEventListener("change", reset);
for (const r of document.querySelectorAll("input[name=locale]")) r.addEventListener("change", run);
reset();
