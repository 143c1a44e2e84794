/**
 * The vector tree on disk: `vectors/<preset>/<runner>/<handler>/<case>.cbor`, a manifest with the
 * SHA-256 of every file, and a lock file with the root hash of the manifest.
 *
 * Canary vectors (deliberately wrong expectations) live under `vectors/canary/` with the same
 * layout below it; they are listed in the manifest but only replayed on request.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesEqual, toHex } from "../spec/encoding/bytes.ts";
import { type Data, encodeCanonical } from "./cbor.ts";
import { runCase, type Suite, type Vector } from "./harness.ts";

/** The repository's `vectors/` directory. */
export const VECTORS_DIR = fileURLToPath(new URL("../vectors/", import.meta.url));
/** The manifest's file name inside `vectors/`. */
export const MANIFEST_FILE = "manifest.json";
/** The lock file's name inside `vectors/`. */
export const LOCK_FILE = "vectors.lock";

/** One vector file's place in the manifest. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  covers: string[];
  canary: boolean;
}

/** Vector files as they should be: relative path to bytes, with their manifest entries. */
export interface VectorTree {
  files: Map<string, Uint8Array>;
  entries: ManifestEntry[];
}

/** The relative path of a vector file. */
export function vectorPath(vector: Vector, canary: boolean): string {
  const path = `${vector.preset}/${vector.runner}/${vector.handler}/${vector.case}.cbor`;
  return canary ? `canary/${path}` : path;
}

/**
 * Generates every vector of the given suites in memory.
 *
 * @throws {Error} when a case fails its own expectation: a failing case never becomes a vector
 */
export async function generateTree(suites: Suite[]): Promise<VectorTree> {
  const files = new Map<string, Uint8Array>();
  const entries: ManifestEntry[] = [];
  for (const s of suites) {
    for (const c of s.cases) {
      const { vector, failures } = await runCase(s.handler, c);
      const canary = c.canary === true;
      if (failures.length > 0 && !canary) {
        throw new Error(`case ${vector.id} fails: ${failures.join("; ")}`);
      }
      const path = vectorPath(vector, canary);
      if (files.has(path)) throw new Error(`two cases write ${path}`);
      const bytes = encodeCanonical(vector as unknown as Data);
      files.set(path, bytes);
      entries.push({ path, sha256: toHex(sha256(bytes)), covers: vector.covers, canary });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, entries };
}

/** The manifest file's text: every vector with its hash, sorted by path. */
export function manifestText(entries: ManifestEntry[]): string {
  return JSON.stringify({ format: "harmony-spec/manifest/1", vectors: entries }, null, 2) + "\n";
}

/** The lock file's text: the SHA-256 of the manifest, which pins every vector's bytes. */
export function lockText(manifest: string): string {
  const root = toHex(sha256(new TextEncoder().encode(manifest)));
  return `root sha256:${root}\n`;
}

/** Every `.cbor` file under a directory, as paths relative to it with `/` separators. */
export function listVectorFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".cbor")) out.push(relative(dir, full).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** Writes the tree, the manifest and the lock file, removing vector files no case produces. */
export function writeTree(tree: VectorTree, dir = VECTORS_DIR): void {
  for (const stale of listVectorFiles(dir)) if (!tree.files.has(stale)) rmSync(join(dir, stale));
  for (const [path, bytes] of tree.files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  const manifest = manifestText(tree.entries);
  writeFileSync(join(dir, MANIFEST_FILE), manifest);
  writeFileSync(join(dir, LOCK_FILE), lockText(manifest));
}

/** Differences between the tree as generated and the tree on disk; empty when identical. */
export function diffTree(tree: VectorTree, dir = VECTORS_DIR): string[] {
  const problems: string[] = [];
  const onDisk = new Set(listVectorFiles(dir));
  for (const [path, bytes] of tree.files) {
    if (!onDisk.has(path)) problems.push(`missing ${path}`);
    else if (!sameFile(join(dir, path), bytes)) problems.push(`differs ${path}`);
  }
  for (const path of onDisk) if (!tree.files.has(path)) problems.push(`stale ${path}`);
  const manifest = manifestText(tree.entries);
  if (!sameText(join(dir, MANIFEST_FILE), manifest)) problems.push(`differs ${MANIFEST_FILE}`);
  if (!sameText(join(dir, LOCK_FILE), lockText(manifest))) problems.push(`differs ${LOCK_FILE}`);
  return problems;
}

function sameFile(path: string, bytes: Uint8Array): boolean {
  return bytesEqual(new Uint8Array(readFileSync(path)), bytes);
}

function sameText(path: string, text: string): boolean {
  return existsSync(path) && readFileSync(path, "utf8") === text;
}
