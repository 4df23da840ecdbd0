// Documents: uploaded as a GraphQL multipart request with the Bearer token (never a cookie,
// so a cross-site form cannot upload), fetched with the same token and saved under their
// name, and the lists and pickers the pages show. The server reads the type from the content
// and decides who may read a document; the browser only checks the size before sending.
import { session, post, ApiError } from "./api.js";
import { h, uid, saveFile } from "./dom.js";
import { t, errorText, number, dateTime } from "./i18n.js";

/** The fields of a Document every page reads. */
export const DOC_FIELDS = "id name contentType size sha256 uploadedAt";
export const MAX_BYTES = 26214400;
export const MAX_FILES = 20;

function authHeaders() {
  const s = session();
  return s ? { authorization: `Bearer ${s.token}` } : {};
}

/** Uploads one file; the stored Document, or an ApiError. */
export async function upload(file) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query: `mutation($f: Upload!) { uploadDocument(file: $f) { ${DOC_FIELDS} } }`, variables: { f: null } }));
  body.append("map", JSON.stringify({ 0: ["variables.f"] }));
  body.append("0", file, file.name);
  return (await post(body)).uploadDocument;
}

/** Fetches a document with the token and saves it under its name. */
async function download(doc) {
  let response;
  try {
    response = await fetch(`/documents/${encodeURIComponent(doc.id)}`, { headers: authHeaders() });
  } catch {
    throw new ApiError([{ message: "network", extensions: { code: "NETWORK" } }]);
  }
  if (!response.ok) throw new ApiError([{ message: `HTTP ${response.status}`, extensions: { code: response.status === 404 ? "NOT_FOUND" : "INTERNAL" } }]);
  let blob;
  try {
    blob = await response.blob();
  } catch {
    throw new ApiError([{ message: "network", extensions: { code: "NETWORK" } }]);
  }
  saveFile(blob, doc.name);
}

/** "PDF", "Text", … from a content type; the type itself when unnamed. */
function kindOf(contentType) {
  const base = contentType.split(";")[0].trim();
  const key = `documents.type.${base}`;
  return t(key) === key ? base : t(key);
}

export function fileSize(bytes) {
  if (bytes < 1024) return t("documents.bytes", { n: number(String(bytes)) });
  if (bytes < 1024 * 1024) return t("documents.kib", { n: number((bytes / 1024).toFixed(1)) });
  return t("documents.mib", { n: number((bytes / (1024 * 1024)).toFixed(1)) });
}

/**
 * A heading and the documents, each a download button with its type, size and SHA-256 (the
 * hash a bidder or the public can check the file against). Null when there are none and no
 * `empty` text is given.
 */
export function documentList(docs, { title, level = "h2", empty = null, intro = null } = {}) {
  if (!docs?.length && !empty) return null;
  const id = uid("documents");
  return h("section", { class: "documents", "aria-labelledby": id, "data-documents": "" },
    h(level, { id }, title ?? t("documents.title")),
    intro ? h("p", { class: "hint" }, intro) : null,
    docs?.length ? h("ul", { class: "cards" }, docs.map((d) => {
      const problem = h("p", { class: "error", role: "alert" });
      return h("li", { "data-document": d.id },
        h("button", { type: "button", class: "link", onclick: async () => {
          problem.textContent = "";
          try {
            await download(d);
          } catch (err) {
            problem.textContent = errorText(err.errors?.[0] ?? { code: "INTERNAL" });
          }
        } }, t("documents.download", { name: d.name })),
        h("p", { class: "hint" }, `${kindOf(d.contentType)}, ${fileSize(d.size)}, ${dateTime(d.uploadedAt)}`),
        h("p", { class: "hint" }, "SHA-256 ", h("code", { class: "hash" }, d.sha256)),
        problem);
    })) : h("p", {}, empty));
}

/**
 * A file field that uploads each chosen file at once and lists the uploads, each removable
 * before the form is sent. It behaves as a form field (`name` "documentIds", an error slot
 * for the server's errors); `ids()` are the documents to attach, `docs()` the uploads.
 */
export function documentPicker({ label, hint = null, initial = [], onchange = () => {} }) {
  const docs = [...initial];
  const id = uid("documentIds");
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const input = h("input", { id, type: "file", multiple: true, name: "documentIds", "aria-describedby": `${hintId} ${errorId}`,
    accept: ".pdf,.png,.jpg,.jpeg,.odt,.ods,.odp,.docx,.xlsx,.pptx,.txt,application/pdf,image/png,image/jpeg,text/plain" });
  const error = h("p", { id: errorId, class: "error", hidden: true });
  const status = h("p", { role: "status", class: "hint" });
  const list = h("ul", { class: "doc-picks" });
  const problem = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  const draw = () => {
    list.replaceChildren(...docs.map((d) => h("li", { "data-picked": d.id },
      h("span", {}, `${d.name} (${kindOf(d.contentType)}, ${fileSize(d.size)})`), " ",
      h("button", { type: "button", class: "secondary", "aria-label": t("documents.removeNamed", { name: d.name }), onclick: () => {
        docs.splice(docs.indexOf(d), 1);
        draw();
        onchange(docs);
        status.textContent = t("documents.removed", { name: d.name });
        input.focus();
      } }, t("documents.remove")),
      h("p", { class: "hint" }, "SHA-256 ", h("code", { class: "hash" }, d.sha256)))));
  };
  input.addEventListener("change", async () => {
    const files = [...input.files];
    error.hidden = true;
    error.textContent = "";
    const problems = [];
    for (const file of files) {
      if (docs.length >= MAX_FILES) {
        problems.push(t("documents.tooMany", { max: MAX_FILES }));
        break;
      }
      if (file.size > MAX_BYTES) {
        problems.push(t("documents.tooLarge", { name: file.name, max: fileSize(MAX_BYTES) }));
        continue;
      }
      status.textContent = t("documents.uploading", { name: file.name });
      try {
        docs.push(await upload(file));
        draw();
        onchange(docs);
        status.textContent = t("documents.uploaded", { name: file.name });
      } catch (err) {
        const e = err.errors?.[0] ?? { code: "INTERNAL" };
        const why = e.code === "BAD_USER_INPUT" && e.field === "file" ? t("documents.notAllowed") : errorText(e);
        problems.push(`${file.name}: ${why}`);
        status.textContent = "";
      }
    }
    if (problems.length) problem(problems.join(" "));
    input.value = "";
  });
  draw();
  const wrap = h("div", { class: "field", "data-field": "documentIds" },
    h("label", { for: id }, label),
    h("span", { id: hintId, class: "hint" }, hint ?? t("documents.hint", { max: MAX_FILES, size: fileSize(MAX_BYTES) })),
    input, error, status, list);
  // The form-field shape forms.js places server errors on (documentIds, documentIds[i]).
  // `forget(id)`: an upload attached elsewhere meanwhile (one attachment of several saved).
  const forget = (gone) => {
    const at = docs.findIndex((d) => d.id === gone);
    if (at >= 0) docs.splice(at, 1);
    draw();
  };
  return { wrap, input, error, name: "documentIds", required: false, as: null, ids: () => docs.map((d) => d.id), docs: () => [...docs], forget };
}
