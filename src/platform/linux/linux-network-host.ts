import { CniExec, DEFAULT_CNI_PATH } from './cni.js';
import { IptablesFirewall } from './firewall.js';
import { LinuxLinks } from './links.js';
import { LinuxNetns, LinuxSandbox } from './netns.js';
import type { NetworkHost } from './network-host.js';

/** The real kernel edge for engine/network. */
export function linuxNetworkHost(options: { cniPath?: string } = {}): NetworkHost {
  return {
    netns: new LinuxNetns(),
    sandbox: new LinuxSandbox(),
    links: new LinuxLinks(),
    cni: new CniExec(options.cniPath ?? DEFAULT_CNI_PATH),
    firewall: new IptablesFirewall(),
  };
}
