export { statPath, tarPath, type PathStat, type PathOptions } from './path-stat.js';
export { extractArchive, type ExtractOptions } from './extract.js';
export { secureJoin, secureJoinParent, staysInside } from './secure-join.js';
export { goFileMode, goTime, GoMode } from './file-mode.js';
export { tarStream, packTree, addEntry, headerFromStat, byteOrder, type TarHeader, type TarPack, type EntryBody, type PackTreeOptions } from './tar-pack.js';
export { writeEntry, setTimes, type WriteEntryOptions } from './write-entry.js';
export { decompressStream, detectCompression, peek, type Compression } from './decompress.js';
