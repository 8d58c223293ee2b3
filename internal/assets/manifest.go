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

// TOML is the npm package smol-toml@1.9.1, kept in toml-1.9.1: the parser
// of the PyScript configs written in TOML (`config="pyscript.toml"`),
// which the page's runtime imports from /pyworker/toml/ when it meets one.
// Its CDN fallback is jsDelivr's copy of the npm package.
//
// Its manifest keeps the ES modules of dist/ (index.js and what it
// imports), its LICENSE (served with them) and package.json; the CommonJS
// build, the type declarations and README.md are left out.
var TOML = &Package{
	Name:      "smol-toml",
	Version:   "1.9.1",
	Stem:      "toml",
	integrity: "sha512-j7WyPdf0CJoutMzMoPLF/bVXHtKZIT9Rb4eGeEbWw8X2t5oirjPgpL+OpaENZrILYaXqYwnVH+qgUwVbl+pUJQ==",
	cdn:       "https://cdn.jsdelivr.net/npm/smol-toml@1.9.1/",
	files: []File{
		{Name: "LICENSE", Size: 1499, SHA256: "fa5659948374d4f555594f47f6da073b40dc503e921aeeece30df4362b3051a5"},
		{Name: "dist/date.js", Size: 6256, SHA256: "ef924a2a42c7f16761e7098c3ed8e04195ecbcb02d5c369db0aee76f251a409c"},
		{Name: "dist/error.js", Size: 2910, SHA256: "76f8e47f5fc57273748242d59570656d7c921a80bceb2291ca5a4d7a723e9f29"},
		{Name: "dist/extract.js", Size: 13083, SHA256: "3e6f1e5764a091acf2df6a3f257d0467c37a2b9dbfecab1573f17a6489349c90"},
		{Name: "dist/index.js", Size: 1949, SHA256: "dc8e0afc74477e514f5cb8492b587560c1d7d68cec03a994cc8bc4af99c8da2a"},
		{Name: "dist/parse.js", Size: 6484, SHA256: "195e33ea068bf6f3acb5b3342792ac4aa954bba7e751519ba869c00da395ecdb"},
		{Name: "dist/primitive.js", Size: 7694, SHA256: "be47fe90bf9a410af0b9204b6b34617f4b38e57f08198b10cb024a0272eb5936"},
		{Name: "dist/stringify.js", Size: 9662, SHA256: "c717d95456426dc8a0b07c9d03a4e434d5dea8254fca24e5fd93a22de3bcd44c"},
		{Name: "dist/struct.js", Size: 6273, SHA256: "736742cfa645bbd08bc5396c5f7ddbea5c3b7ac5d61fe86031846f5769131deb"},
		{Name: "dist/util.js", Size: 2636, SHA256: "6327e40efd957128da15867c3a32293950a925570b457b1b78c735452cebc08e"},
		{Name: "package.json", Size: 1548, SHA256: "d7ad6488e35b31d46bac6412d2d35225db4d693f02a415d872714ceb7e3d7138"},
	},
}

// XTerm is the npm package @xterm/xterm@6.0.0, kept in xterm-6.0.0: the
// terminal of PyScript's `terminal` attribute, which the page's runtime
// imports from /pyworker/xterm/ only on a page with such a script. Its CDN
// fallback is jsDelivr's copy of the npm package.
//
// Its manifest keeps the ES module (lib/xterm.mjs, which imports nothing),
// its style sheet, its LICENSE and package.json; the CommonJS build, the
// TypeScript sources, the source maps and README.md are left out.
var XTerm = &Package{
	Name:      "@xterm/xterm",
	Version:   "6.0.0",
	Stem:      "xterm",
	integrity: "sha512-TQwDdQGtwwDt+2cgKDLn0IRaSxYu1tSUjgKarSDkUM0ZNiSRXFpjxEsvc/Zgc5kq5omJ+V0a8/kIM2WD3sMOYg==",
	cdn:       "https://cdn.jsdelivr.net/npm/@xterm/xterm@6.0.0/",
	files: []File{
		{Name: "LICENSE", Size: 1261, SHA256: "b569f629d00f2626a8100df2a1798210535621e42164dfd426a6fe5aac7b0ccd"},
		{Name: "css/xterm.css", Size: 7112, SHA256: "854a7c0fb70e8b1a083c16797ab827299fb18744f5ad34f227b48337e33293c6"},
		{Name: "lib/xterm.mjs", Size: 344970, SHA256: "b336ec65a086c056d4804b3d4c2347da5663d3f23c3f25be866467bd8857ad59"},
		{Name: "package.json", Size: 4348, SHA256: "f5a0dde40a146d6c7a86b22daf6e5740517e5d708ec1d162197e0445431d8f4f"},
	},
}

// packages are the pinned packages, for what concerns them all (the
// cleaning of temporary folders).
var packages = []*Package{Pyodide, MicroPython, TOML, XTerm}
