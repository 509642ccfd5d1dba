// Where the shipped wasm's bytes go, by module: read from a name-section
// build of the shipped wasm (the same cargo output, wasm-bindgen and
// wasm-opt -Oz, with the function names kept and single-caller inlining
// limited so that each function keeps its own name and bytes). Each
// function's code is counted under the module its name says; data segments,
// imports, exports and the rest under their own rows.
import { readFileSync } from 'node:fs';

/** Reads an unsigned LEB128 at `at`; returns [value, next]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

const text = (bytes, at) => {
  const [len, start] = leb(bytes, at);
  return [new TextDecoder().decode(bytes.subarray(start, start + len)), start + len];
};

/** The sections of a wasm binary: [{ id, name, start, end }]. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    const section = { id, start, end: start + size, size: start + size - at };
    if (id === 0) [section.name] = text(bytes, start);
    out.push(section);
    at = start + size;
  }
  return out;
}

/** The module a Rust symbol belongs to, as the table shows it. */
export function moduleOf(name) {
  const own = /convertro::(rules|wasm)(?:::(settings|commands|keys|names|amount|consent|value|outbox|engine|bridge|storage|tag)\b)?/.exec(name);
  if (own) return own[2] ? `${own[1]}/${own[2]}` : own[1] === 'wasm' ? 'wasm (Destination)' : 'rules';
  if (/convertro::allocator/.test(name)) return 'allocator (and panic handler)';
  if (/convertro::text/.test(name)) return 'text (string helpers)';
  // The exports, with what the compiler inlined into them (one caller each).
  if (/^(make|track|identify|load|tick|pagehide|pageshow|adopt|isLoaded|is_loaded)( externref shim)?( multivalue shim)?$/.test(name)) return 'wasm exports (make and the calls by number, with what is inlined into them)';
  if (/externref shim|^__wbg|^__wbindgen|wasm_bindgen|^__externref|JsValue/.test(name)) return 'wasm-bindgen runtime and import shims';
  if (/web_sys|js_sys/.test(name)) return 'web-sys / js-sys bindings';
  if (/alloc|core::|memcmp|memcpy|memset|__rust|__rdl/.test(name)) return 'Rust core and alloc';
  return 'other';
}

/**
 * Where the bytes of `shipped` go: its code split by module in the
 * proportions of the name-section build `named` (each function body's bytes
 * counted under the module its name says), and its other sections (imports,
 * exports, data, types, …) as they are. Returns { rows: [[what, bytes]],
 * total, code, namedCode }.
 */
export function moduleSizes(named, shipped) {
  const code = codeByModule(named);
  const shippedSections = sectionSizes(shipped);
  const shippedCode = shippedSections.find(([what]) => what === 'code')?.[1] ?? 0;
  const rows = [
    ...[...code.byModule].map(([what, n]) => [what, Math.round((n / code.total) * shippedCode)]),
    ...shippedSections.filter(([what]) => what !== 'code'),
  ].sort((a, b) => b[1] - a[1]);
  return { rows, total: rows.reduce((a, [, n]) => a + n, 0), code: shippedCode, namedCode: code.total };
}

const SECTION = { 1: 'types', 2: 'imports', 3: 'function declarations', 4: 'table', 5: 'memory', 6: 'globals', 7: 'exports', 8: 'start', 9: 'element segments', 10: 'code', 11: 'data (messages, names, constants)', 12: 'data count' };

/** [[section, bytes]] of a wasm file (custom sections by their names). */
function sectionSizes(file) {
  return sections(new Uint8Array(readFileSync(file))).map((s) => [s.id === 0 ? `custom section ${s.name}` : SECTION[s.id] ?? `section ${s.id}`, s.size]);
}

/** Code bytes by module in a name-section build. */
function codeByModule(file) {
  const bytes = new Uint8Array(readFileSync(file));
  const all = sections(bytes);
  // Imported functions come first in the function index space.
  let imports = 0;
  const importSection = all.find((s) => s.id === 2);
  if (importSection) {
    let [count, at] = leb(bytes, importSection.start);
    for (let i = 0; i < count; i++) {
      [, at] = text(bytes, at);
      [, at] = text(bytes, at);
      const kind = bytes[at++];
      if (kind === 0) { [, at] = leb(bytes, at); imports++; } else if (kind === 1) { at++; const [flags, a] = leb(bytes, at); [, at] = leb(bytes, a); if (flags & 1) [, at] = leb(bytes, at); } else if (kind === 2) { const [flags, a] = leb(bytes, at); [, at] = leb(bytes, a); if (flags & 1) [, at] = leb(bytes, at); } else { at += 2; }
    }
  }
  const names = new Map();
  const nameSection = all.find((s) => s.id === 0 && s.name === 'name');
  if (nameSection) {
    let [, at] = text(bytes, nameSection.start);
    while (at < nameSection.end) {
      const sub = bytes[at];
      const [size, start] = leb(bytes, at + 1);
      if (sub === 1) {
        let [count, p] = leb(bytes, start);
        for (let i = 0; i < count; i++) {
          let index;
          [index, p] = leb(bytes, p);
          let name;
          [name, p] = text(bytes, p);
          names.set(index, name);
        }
      }
      at = start + size;
    }
  }
  const byModule = new Map();
  const code = all.find((s) => s.id === 10);
  let total = 0;
  if (code) {
    let [count, at] = leb(bytes, code.start);
    for (let i = 0; i < count; i++) {
      const [size, body] = leb(bytes, at);
      const what = moduleOf(names.get(imports + i) ?? '');
      byModule.set(what, (byModule.get(what) ?? 0) + size);
      total += size;
      at = body + size;
    }
  }
  return { byModule, total };
}
