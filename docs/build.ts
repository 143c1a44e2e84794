/**
 * `deno task docs`: builds the documentation for auditors.
 *
 * 1. The spec book, `docs/book/book.md`: every file of `spec/` woven into one document in reading
 *    order, doc comments as prose and declarations as code, the way a literate spec reads.
 * 2. The API reference, `docs/api/`, by typedoc, with every export documented and warnings as
 *    errors; the book and the guides are included as project documents.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import process from "node:process";
import ts from "typescript";

const ROOT = new URL("..", import.meta.url).pathname;

/** The book's chapters in reading order: a title and the spec folders or files it covers. */
const CHAPTERS: { title: string; paths: string[] }[] = [
  { title: "Errors and per-record memos", paths: ["spec/errors.ts", "spec/memo.ts"] },
  { title: "Parameters, presets and features", paths: ["spec/params"] },
  { title: "Numbers: Harmony's Dec", paths: ["spec/numeric"] },
  { title: "Encodings: bytes, RLP, hashes, addresses", paths: ["spec/encoding"] },
  { title: "Cryptography: BLS and secp256k1", paths: ["spec/crypto"] },
  { title: "Randomness: VRF, VDF and DRG", paths: ["spec/randomness"] },
  {
    title: "Blocks: headers, bodies, tries and blooms",
    paths: [
      "spec/chain/header.ts",
      "spec/chain/body.ts",
      "spec/chain/trie.ts",
      "spec/chain/derive-sha.ts",
      "spec/chain/bloom.ts",
    ],
  },
  { title: "Execution: accounts, transactions, EVM, fees", paths: ["spec/execution"] },
  { title: "Staking: EPoS, rewards, slashing", paths: ["spec/staking"] },
  { title: "Sharding: epochs, committees, crosslinks", paths: ["spec/sharding"] },
  { title: "Consensus: FBFT and view change", paths: ["spec/consensus"] },
  {
    title: "The chain: processing and proposing blocks",
    paths: [
      "spec/chain/state.ts",
      "spec/chain/genesis.ts",
      "spec/chain/context.ts",
      "spec/chain/transition.ts",
      "spec/chain/staking-tx.ts",
      "spec/chain/finalize.ts",
      "spec/chain/insert.ts",
      "spec/chain/process.ts",
      "spec/chain/propose.ts",
      "spec/chain/view.ts",
    ],
  },
  { title: "Invariants", paths: ["spec/invariants.ts"] },
];

function specFiles(path: string): string[] {
  const full = join(ROOT, path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return [];
  }
  if (stat.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(full).sort()) out.push(...specFiles(join(path, entry)));
  return out.filter((f) => f.endsWith(".ts"));
}

/** Turns a `/** … *\/` comment into markdown: strips the stars and renders the block tags. */
function commentToMarkdown(comment: string): string {
  const lines = comment.replace(/^\/\*\*/, "").replace(/\*\/$/, "").split("\n")
    .map((l) => l.replace(/^\s*\* ?/, ""));
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith("@module")) continue;
    const tag = /^@(\w+)\s*(.*)$/.exec(line);
    if (tag === null) out.push(line);
    else if (tag[1] === "param") out.push(`- *parameter* ${tag[2].replace(/^(\w+)/, "`$1`")}`);
    else out.push(`- *${tag[1]}* ${tag[2]}`);
  }
  // Inline links resolve in the API reference, not in a standalone document: render them as code.
  return out.join("\n").replace(/\{@link\s+([^}|\s]+)[^}]*\}/g, "`$1`").trim();
}

/** Weaves one spec file: doc comments become prose, statements become code blocks. */
function weave(file: string): string {
  const text = readFileSync(join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const parts: string[] = [`### \`${file}\``];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) continue;
    const ranges = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
    for (const r of ranges) {
      const comment = text.slice(r.pos, r.end);
      if (comment.startsWith("/**")) parts.push(commentToMarkdown(comment));
    }
    if (ts.isExportDeclaration(statement)) continue;
    parts.push("```ts\n" + statement.getText(source) + "\n```");
  }
  return parts.join("\n\n");
}

function buildBook(): string {
  const sections = ["# The Harmony protocol, as an executable specification", ""];
  sections.push(
    "This book is generated from `spec/` by `deno task docs`. Each chapter is one area of the",
    "protocol; within it, each file reads top to bottom: the rule in prose, then its code.",
    "Deliberate differences from Harmony's Go node are listed in `docs/deviations.md`.",
  );
  let number = 0;
  for (const chapter of CHAPTERS) {
    const files = chapter.paths.flatMap(specFiles);
    if (files.length === 0) continue;
    number++;
    sections.push("", `## ${number}. ${chapter.title}`, "");
    for (const f of files) sections.push(weave(f), "");
  }
  return sections.join("\n");
}

/** Every spec file must sit in a chapter, or the book would silently miss it. */
function unlistedFiles(): string[] {
  const listed = new Set(CHAPTERS.flatMap((c) => c.paths.flatMap(specFiles)));
  return specFiles("spec").filter((f) => !listed.has(f)).map((f) => relative(ROOT, join(ROOT, f)));
}

const unlisted = unlistedFiles();
if (unlisted.length > 0) {
  console.error(`spec files in no chapter of docs/build.ts: ${unlisted.join(", ")}`);
  process.exit(1);
}
mkdirSync(join(ROOT, "docs/book"), { recursive: true });
writeFileSync(join(ROOT, "docs/book/book.md"), buildBook());
console.log("wrote docs/book/book.md");

const typedoc = spawnSync(process.execPath, ["run", "-A", "node_modules/typedoc/bin/typedoc"], {
  cwd: ROOT,
  stdio: "inherit",
});
process.exit(typedoc.status ?? 1);
