/**
 * `deno task node`: the live shard. Not built yet: the node is assembled from the spec's
 * functions once the execution and consensus parts of the spec exist.
 *
 * @module
 */
console.log("harmony-spec node: not built yet.");
console.log("The node is assembled from spec/ once execution and consensus are specified.");
console.log("Meanwhile: `deno task test`, `deno task conformance`, `deno task docs`.");
