import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// A stranger's project in a scratch folder: what this repository hands out (the packed package,
// the client SDK) is compiled there as its users' own compilers would, not as this repository's
// tsconfig does. Shared by the package's pack test and the SDK's consumer test (test/client/).

/** This repository's node_modules: scratch projects link packages from it instead of downloading them. */
const REPOSITORY_MODULES = path.resolve(__dirname, '../../../node_modules');

/**
 * `tsc --init`'s defaults (TypeScript 5.9: module nodenext, strict, exactOptionalPropertyTypes,
 * noUncheckedIndexedAccess, verbatimModuleSyntax, declaration), without emitting, with Node's types.
 * `lib` is left to the target (ESNext and the DOM) unless a test names it.
 */
export const TSC_INIT_OPTIONS: Readonly<ts.CompilerOptions> = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ESNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  moduleDetection: ts.ModuleDetectionKind.Force,
  declaration: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** Links these packages of this repository's node_modules into the project's (their dependencies resolve from here). */
export function linkRepositoryModules(project: string, names: readonly string[]): void {
  for (const name of names) {
    const link = path.join(project, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(REPOSITORY_MODULES, name), link, 'dir');
  }
}

/**
 * What tsc says of these files under these options, as `file: first line of the message` (files
 * relative to `root`). Without `noEmit` it also writes the output, as `tsc` would.
 */
export function typeErrors(rootNames: readonly string[], options: ts.CompilerOptions, root: string): string[] {
  const program = ts.createProgram(rootNames, options);
  const emitted = options.noEmit ? [] : program.emit().diagnostics;
  return [...ts.getPreEmitDiagnostics(program), ...emitted].map((diagnostic) => {
    const where = diagnostic.file ? `${path.relative(root, diagnostic.file.fileName)}: ` : '';
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('\n')[0];
  });
}
