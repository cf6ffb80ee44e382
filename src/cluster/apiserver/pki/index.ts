export { ensurePki, type Pki, type PkiOptions } from './ensure-pki.js';
export { adminKubeconfig, writeAdminKubeconfig } from './kubeconfig.js';
