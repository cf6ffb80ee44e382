import { run } from './exec.js';

/**
 * Copies a directory tree into an existing directory, keeping owners, modes,
 * times, links, special files and extended attributes, and giving dst the
 * owner, mode and times of src itself (`cp -a src/. dst/`).
 */
export async function copyDirectory(src: string, dst: string): Promise<void> {
  await run('cp', ['-a', '--', `${src.replace(/\/+$/, '')}/.`, `${dst.replace(/\/+$/, '')}/`]);
}
