import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants } from 'node:os';
import { BerthError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import type { Mount } from './mount.js';

const log = logger('platform.mount');

/**
 * mount(2) and umount2(2) without a process per call. Node has no binding
 * for them and mount(8)/umount(8) cost a fork of the daemon (which blocks
 * its event loop for milliseconds) plus libmount's work each time, twice per
 * container. So one long-lived helper makes the calls: Perl, because
 * perl-base is part of every Debian system and has syscall(). It reads one
 * request per line and answers each with the errno (0 for success), in order.
 * Anything it cannot express (unknown options, other architectures, no perl)
 * goes to mount(8) as before.
 */
const HELPER = String.raw`
use strict; use warnings;
my ($nr_mount, $nr_umount) = @ARGV;
$| = 1;
while (my $line = <STDIN>) {
  chomp $line;
  my ($op, @f) = split / /, $line, -1;
  my $r = -1;
  $! = 22;
  if ($op eq 'm' && @f == 5) {
    my ($src, $target, $type, $data) = map { pack('H*', $_) } @f[0, 1, 2, 4];
    $r = syscall($nr_mount, $src, $target, $type, 0 + $f[3], length($data) ? $data : 0);
  } elsif ($op eq 'u' && @f == 2) {
    $r = syscall($nr_umount, pack('H*', $f[0]), 0 + $f[1]);
  }
  print(($r == -1 ? 0 + $! : 0), "\n");
}
`;

/** Syscall numbers by Node's process.arch. */
const SYSCALLS: Record<string, { mount: number; umount2: number }> = {
  x64: { mount: 165, umount2: 166 },
  arm64: { mount: 40, umount2: 39 },
};

const MS_RDONLY = 0x1;
const MS_NOSUID = 0x2;
const MS_NODEV = 0x4;
const MS_NOEXEC = 0x8;
const MS_BIND = 0x1000;
const MS_REC = 0x4000;
export const MNT_DETACH = 0x2;

/** Options that are flags; everything else is filesystem data (overlay's lowerdir=…). */
const FLAG_OPTIONS: Record<string, number> = { rw: 0, nosuid: MS_NOSUID, nodev: MS_NODEV, noexec: MS_NOEXEC, bind: MS_BIND, rbind: MS_BIND | MS_REC };

export interface MountCall {
  source: string;
  type: string;
  flags: number;
  data: string;
}

/**
 * The mount(2) call mount(8) would make for m, or undefined when it would
 * take more than one call (a read-only bind needs a remount) or an option
 * is one we do not translate: those go to mount(8).
 */
export function mountCall(m: Mount): MountCall | undefined {
  let flags = 0;
  const data: string[] = [];
  for (const o of m.options) {
    const flag = FLAG_OPTIONS[o];
    if (flag !== undefined) flags |= flag;
    else if (o === 'ro') flags |= MS_RDONLY;
    else if (/^[a-z_]+=/.test(o) || o === 'userxattr' || o === 'volatile') data.push(o);
    else return undefined;
  }
  const bind = m.type === 'bind' || (flags & MS_BIND) !== 0;
  if (bind) {
    if ((flags & MS_RDONLY) !== 0 || data.length > 0) return undefined;
    return { source: m.source, type: '', flags: flags | MS_BIND, data: '' };
  }
  if (m.type !== 'overlay' && m.type !== 'tmpfs') return undefined;
  return { source: m.source, type: m.type, flags, data: data.join(',') };
}

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

class SyscallHelper {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly waiting: Array<(errno: number | undefined) => void> = [];
  private buffered = '';

  constructor(private readonly numbers: { mount: number; umount2: number }) {}

  /** Resolves with the errno (0 on success), or undefined when the helper itself failed. */
  call(line: string): Promise<number | undefined> {
    const child = this.ensure();
    if (!child) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      // Its pipe keeps the process alive only while an answer is due.
      if (this.waiting.length === 0) pipe(child.stdout).ref?.();
      this.waiting.push(resolve);
      child.stdin.write(line + '\n');
    });
  }

  private ensure(): ChildProcessWithoutNullStreams | undefined {
    if (this.child) return this.child;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn('perl', ['-e', HELPER, String(this.numbers.mount), String(this.numbers.umount2)], { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch {
      return undefined;
    }
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const answer = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.waiting.shift()?.(Number(answer));
      }
      if (this.waiting.length === 0) pipe(child.stdout).unref?.();
    });
    child.stderr.on('data', (b: Buffer) => log.warn('mount helper', { stderr: b.toString().trim() }));
    child.stdin.on('error', () => {});
    const gone = (): void => {
      if (this.child !== child) return;
      this.child = undefined;
      this.buffered = '';
      for (const w of this.waiting.splice(0)) w(undefined);
    };
    child.on('error', gone);
    child.on('exit', gone);
    // Idle, it must not keep the daemon (or a test) alive.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr] as const) pipe(s).unref?.();
    return child;
  }
}

/** A child's stdio stream is a net.Socket over a pipe: it can be (un)ref'd. */
function pipe(s: unknown): { ref?: () => void; unref?: () => void } {
  return s as { ref?: () => void; unref?: () => void };
}

let helper: SyscallHelper | undefined | null;

function theHelper(): SyscallHelper | undefined {
  if (helper === undefined) {
    const numbers = SYSCALLS[process.arch];
    helper = numbers && process.env['BERTH_MOUNT_HELPER'] !== '0' ? new SyscallHelper(numbers) : null;
  }
  return helper ?? undefined;
}

function failure(what: string, errno: number): BerthError {
  const name = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
  return new BerthError('Internal', `${what}: ${name}`, { details: { errno: name } });
}

/** mount(2) through the helper: true when done, false when the caller should use mount(8) instead. Throws on a refused mount. */
export async function mountBySyscall(m: Mount, target: string): Promise<boolean> {
  const call = mountCall(m);
  const h = theHelper();
  if (!call || !h) return false;
  const errno = await h.call(['m', hex(call.source), hex(target), hex(call.type), String(call.flags), hex(call.data)].join(' '));
  if (errno === undefined) return false;
  if (errno !== 0) throw failure(`mount ${m.type} on ${target}`, errno);
  return true;
}

/** umount2(2) through the helper: true when done, false when the caller should use umount(8) instead. Throws with the errno's name. */
export async function unmountBySyscall(target: string, flags: number): Promise<boolean> {
  const h = theHelper();
  if (!h) return false;
  const errno = await h.call(['u', hex(target), String(flags)].join(' '));
  if (errno === undefined) return false;
  if (errno !== 0) throw failure(`umount ${target}`, errno);
  return true;
}
