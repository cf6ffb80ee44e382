import type { ContainerConfig, EndpointSettings, HostConfig, MountPoint, NetworkingConfig } from '../../core/index.js';

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy' | 'none';
  FailingStreak: number;
  Log: HealthLogEntry[];
}

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: HealthState;
}

/** Per-network endpoint state, as `NetworkSettings.Networks[name]` shows it. */
export type EndpointState = EndpointSettings;

export interface NetworkSettingsState {
  /** Networks the container is attached to (by network name). */
  Networks: Record<string, EndpointState>;
  /** Published ports actually bound ("80/tcp" → bindings), filled by the network service. */
  Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
  SandboxID: string;
  SandboxKey: string;
  [extra: string]: unknown;
}

/**
 * A container as the engine persists it (`<root>/containers/<id>/container.json`).
 * Config and HostConfig are Docker's own shapes: they are the contract.
 */
export interface ContainerRecord {
  Id: string;
  /** Without the leading slash. */
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  /** Image ID (sha256:…). */
  Image: string;
  /** The image reference as the user gave it (shown by `docker ps`). */
  ImageName: string;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  /** Endpoint configuration requested at create or by `network connect` (before start). */
  NetworkingConfig: NetworkingConfig;
  State: ContainerState;
  NetworkSettings: NetworkSettingsState;
  Mounts: MountPoint[];
  RestartCount: number;
  HasBeenStartedBefore: boolean;
  /** Set by `docker stop`/`kill` so restart policies (unless-stopped) know. */
  HasBeenManuallyStopped: boolean;
  /** Set while the engine itself holds the container paused (commit): a restart thaws it. */
  PausedForCommit?: boolean;
  LogPath: string;
  HostnamePath: string;
  HostsPath: string;
  ResolvConfPath: string;
  Driver: string;
  Runtime: string;
  ExecIDs: string[];
  Platform: 'linux';
}
