/** Messages between the daemon and its spawner process (JSON over Node's IPC channel). */
export type SpawnerRequest =
  | { op: 'run'; id: number; cmd: string; args: readonly string[]; input?: string; inputBase64?: string; env?: NodeJS.ProcessEnv; cwd?: string }
  | { op: 'detached'; id: number; cmd: string; args: readonly string[]; env?: NodeJS.ProcessEnv; logFile: string }
  | { op: 'kill'; id: number };

export type SpawnerReply =
  | { id: number; code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
  | { id: number; pid: number }
  | { id: number; error: string };
