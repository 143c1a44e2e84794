/**
 * Writes `docs/coverage.md`, the conformance coverage map: for every function exported by a file of
 * `spec/`, how many published vectors cover it and through which handlers, and the functions no
 * vector covers yet.
 *
 * Sources: the exported functions, listed with the TypeScript compiler API (declarations, not
 * re-exports, so each function counts once, where it is defined), and `vectors/manifest.json`,
 * whose entries carry the `covers` list of their handler. Canary vectors are not counted.
 *
 * Run `deno run -A docs/coverage.ts` after adding vectors; `deno run -A docs/coverage.ts --check`
 * fails if the committed page is out of date.
 *
 * @module
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "docs/coverage.md");
const MANIFEST = join(ROOT, "vectors/manifest.json");

/** One exported function: where it is defined. */
export interface SpecFunction {
  /** The function's name. */
  name: string;
  /** The repository path of the file that defines it. */
  file: string;
}

/** The part of `vectors/manifest.json` the page reads. */
export interface Manifest {
  /** Every vector file with the spec functions its handler covers. */
  vectors: { path: string; covers: string[]; canary: boolean }[];
}

/** Every `.ts` file under a directory of the repository, sorted, as repository paths. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

function isExported(node: ts.Node): boolean {
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/**
 * The functions a file exports by declaration, `export function f` and `export const f = () =>`,
 * each once; re-exports (`export { f } from`) are not declarations and are left out.
 */
export function exportedFunctions(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      names.push(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        const isFunction = init !== undefined &&
          (ts.isArrowFunction(init) || ts.isFunctionExpression(init));
        if (isFunction && ts.isIdentifier(d.name)) names.push(d.name.text);
      }
    }
  }
  return [...new Set(names)]; // overloads declare a name more than once
}

/** Published vectors per covered name, and the handlers (`runner/handler`) they belong to. */
function coverage(manifest: Manifest): Map<string, { vectors: number; handlers: Set<string> }> {
  const out = new Map<string, { vectors: number; handlers: Set<string> }>();
  for (const v of manifest.vectors) {
    if (v.canary) continue;
    const [, runner, handler] = v.path.split("/");
    for (const name of v.covers) {
      const entry = out.get(name) ?? { vectors: 0, handlers: new Set<string>() };
      entry.vectors++;
      entry.handlers.add(`${runner}/${handler}`);
      out.set(name, entry);
    }
  }
  return out;
}

/** A Markdown table with every column padded to its widest cell, as `deno fmt` writes it. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const code = (text: string) => `\`${text}\``;

/** A paragraph wrapped at 100 columns, greedily, as `deno fmt` wraps Markdown prose. */
function wrap(text: string): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > 100) {
      out.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  out.push(line);
  return out.join("\n");
}

/** Every function exported by a file of `spec/`, in path order, then declaration order. */
export function specFunctions(): SpecFunction[] {
  const functions: SpecFunction[] = [];
  for (const file of tsFiles("spec")) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const name of exportedFunctions(file, text)) functions.push({ name, file });
  }
  return functions;
}

/** The page's text for the given functions and manifest. */
export function coveragePage(functions: SpecFunction[], manifest: Manifest): string {
  const covered = coverage(manifest);
  const files = [...new Set(functions.map((f) => f.file))];
  const hit = functions.filter((f) => covered.has(f.name));
  const known = new Set(functions.map((f) => f.name));
  const unknown = [...covered.keys()].filter((n) => !known.has(n)).sort();
  const lines = [
    "# Conformance coverage",
    "",
    wrap(
      "Generated by `deno run -A docs/coverage.ts` from `vectors/manifest.json` (the `covers` list " +
        "of each vector) and the functions exported by `spec/`; do not edit by hand. Canary " +
        "vectors are not counted. A vector covers every function its handler names, so a count " +
        "says how many vectors exercise a function, not how many were written for it alone.",
    ),
    "",
    wrap(
      `**${hit.length} of ${functions.length}** exported spec functions are covered by at least ` +
        "one published vector.",
    ),
    "",
    "## By module",
  ];
  for (const file of files) {
    const rows = functions.filter((f) => f.file === file).map((f) => {
      const c = covered.get(f.name);
      const handlers = c === undefined ? "" : [...c.handlers].sort().map(code).join(", ");
      return [code(f.name), String(c?.vectors ?? 0), handlers];
    });
    lines.push("", `### ${code(file)}`, "", table(["Function", "Vectors", "Handlers"], rows));
  }
  lines.push("", "## Functions with no vector", "");
  const missing: string[][] = [];
  for (const file of files) {
    const names = functions.filter((f) => f.file === file && !covered.has(f.name));
    if (names.length > 0) missing.push([code(file), names.map((f) => code(f.name)).join(", ")]);
  }
  lines.push(missing.length === 0 ? "None." : table(["Module", "Functions"], missing));
  if (unknown.length > 0) {
    lines.push("", "## Names in `covers` that no spec file exports", "");
    lines.push(wrap(unknown.map(code).join(", ")));
  }
  return lines.join("\n") + "\n";
}

function main(): void {
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Manifest;
  const text = coveragePage(specFunctions(), manifest);
  if (!process.argv.includes("--check")) {
    writeFileSync(OUT, text);
    console.log("wrote docs/coverage.md");
    return;
  }
  let committed = "";
  try {
    committed = readFileSync(OUT, "utf8");
  } catch {
    // a missing page is stale too
  }
  if (committed !== text) {
    console.error("docs/coverage.md is out of date: run deno run -A docs/coverage.ts");
    process.exit(1);
  }
  console.log("docs/coverage.md is up to date");
}

if (import.meta.main) main();
