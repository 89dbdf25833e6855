/** Types of bin/compiled.js (plain JavaScript: the command's launcher runs before any loader). */
export declare const COMPILED_DIR: string;
export declare const COMPILED_ENTRY: string;
export declare const STAMP: string;
export declare function sourceDigest(root: string): string;
export declare function hasSources(root: string): boolean;
export declare function currentCompiledEntry(root: string): string | null;
