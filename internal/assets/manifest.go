package assets

// manifest lists the files of the npm package pyodide@314.0.7 that pyworker
// keeps, with the size and SHA-256 of each as published. It was written by
// hand from an unpacked copy of the tarball whose sha512 matches
// pinnedIntegrity (sizes from stat, hashes from sha256sum).
//
// Which files: only those a page or worker loads at run time —
// pyodide.js / pyodide.mjs (the loader, classic and module), pyodide.asm.mjs
// and pyodide.asm.wasm (the interpreter), python_stdlib.zip (the standard
// library) and pyodide-lock.json (the package index loadPyodide reads) —
// plus package.json, which records the version the folder holds. Left out:
// README.md, the TypeScript typings (*.d.ts), the source maps (*.map) and
// the demo consoles (console*.html). None of them is fetched at run time,
// and keeping the set to run-time files keeps the CDN fallback honest: it
// asks the CDN only for files that the Pyodide distribution folder is
// sure to serve (README.md in particular exists only in the npm tarball).
// The npm path skips the left-out entries when it extracts, so both paths
// produce the same folder.
var manifest = []File{
	{Name: "package.json", Size: 2999, SHA256: "40ca48e43ce4ddc68412d5b7a7ca9e2477cd4f0e672277ae468ac2245717079b"},
	{Name: "pyodide-lock.json", Size: 119077, SHA256: "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010"},
	{Name: "pyodide.asm.mjs", Size: 1250344, SHA256: "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635"},
	{Name: "pyodide.asm.wasm", Size: 9598218, SHA256: "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6"},
	{Name: "pyodide.js", Size: 18912, SHA256: "3141b814715a72e59b51b1b18b9ceae5bf19f7c852417e431bb0a34feadf825c"},
	{Name: "pyodide.mjs", Size: 17931, SHA256: "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109"},
	{Name: "python_stdlib.zip", Size: 2545637, SHA256: "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a"},
}

// pinnedIntegrity is the npm integrity string (Subresource Integrity form,
// sha512) of the pyodide@314.0.7 tarball, as listed in the registry's
// metadata for that version. Its legacy sha1 shasum is
// 19a6865259f8d594cdef5b7e2f44930b68f5e987.
const pinnedIntegrity = "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="
