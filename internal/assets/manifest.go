package assets

// PyodideVersion is the pinned version of the npm package pyodide.
const PyodideVersion = "314.0.7"

// CDNURL is the Pyodide CDN folder for the pinned version: the default base
// for Pyodide's per-file CDN fallback, and the folder pages may point at
// instead of a local copy.
const CDNURL = "https://cdn.jsdelivr.net/pyodide/v" + PyodideVersion + "/full/"

// Pyodide is the npm package pyodide@314.0.7, kept in pyodide-314.0.7. Its
// CDN fallback is the Pyodide distribution folder CDNURL.
//
// Its manifest was written by hand from an unpacked copy of the tarball
// whose sha512 matches the integrity (sizes from stat, hashes from
// sha256sum). Which files: only those a page or worker loads at run time —
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
var Pyodide = &Package{
	Name:    "pyodide",
	Version: PyodideVersion,
	Stem:    "pyodide",
	// As listed in the registry's metadata for that version; its legacy
	// sha1 shasum is 19a6865259f8d594cdef5b7e2f44930b68f5e987.
	integrity: "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
	cdn:       CDNURL,
	files: []File{
		{Name: "package.json", Size: 2999, SHA256: "40ca48e43ce4ddc68412d5b7a7ca9e2477cd4f0e672277ae468ac2245717079b"},
		{Name: "pyodide-lock.json", Size: 119077, SHA256: "5dc2fc119108bc148c7457dc86e7675b5c87e1cafd420b9c34c1eaef7b36c010"},
		{Name: "pyodide.asm.mjs", Size: 1250344, SHA256: "f7cdc8ece80678ceb712f8e65ebe6d3a83203a180c399865f49612a051693635"},
		{Name: "pyodide.asm.wasm", Size: 9598218, SHA256: "cc36e3cab04fdfc9a63ff13eb52eae2b911bf46c025cc7b281f394bd3de1d5e6"},
		{Name: "pyodide.js", Size: 18912, SHA256: "3141b814715a72e59b51b1b18b9ceae5bf19f7c852417e431bb0a34feadf825c"},
		{Name: "pyodide.mjs", Size: 17931, SHA256: "6f1d60f7bf529beb300f0f47983c921d3982363640ba20af0e38efdddbc66109"},
		{Name: "python_stdlib.zip", Size: 2545637, SHA256: "fa1957e5777068fc4f7437f96d860ae2fbe9c19732ba06c84e004ec16dd7dd7a"},
	},
}

// MicroPython is the npm package
// @micropython/micropython-webassembly-pyscript@1.27.0 (MicroPython's
// WebAssembly port as PyScript builds it), kept in micropython-1.27.0.
// Its CDN fallback is jsDelivr's copy of the npm package, the folder
// PyScript itself loads MicroPython from; as for Pyodide, every file from
// there is checked against the manifest.
//
// Its manifest, written the same way, keeps the run-time files,
// micropython.mjs (the loader) and micropython.wasm (the interpreter), plus
// package.json; README.md is left out, as it is for Pyodide.
var MicroPython = &Package{
	Name:      "@micropython/micropython-webassembly-pyscript",
	Version:   "1.27.0",
	Stem:      "micropython",
	integrity: "sha512-DnXx4EqxgkeaFESrS3uKrL7mLMk4mRTd0mMzaOd3HUSiZUOAE7t11uLnjf3ftF87N2xm4knHnWEKcVK4IYIUDA==",
	cdn:       "https://cdn.jsdelivr.net/npm/@micropython/micropython-webassembly-pyscript@1.27.0/",
	files: []File{
		{Name: "micropython.mjs", Size: 107864, SHA256: "c2be87e7ba24e3b47d133022b009a66bff07f4720aa23d816d216ef8cc47014c"},
		{Name: "micropython.wasm", Size: 433743, SHA256: "06338c955b03c5700aa0069015d3e392d76836ef8e2ce25bedbe59b88ccd373c"},
		{Name: "package.json", Size: 440, SHA256: "904196a2fb4d33d2cceb8081a95ac70d62b5e1994df2b5eb5835674368f0d655"},
	},
}

// packages are the pinned packages, for what concerns them all (the
// cleaning of temporary folders).
var packages = []*Package{Pyodide, MicroPython}
