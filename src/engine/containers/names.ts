import { randomInt } from 'node:crypto';

// Berth's own word lists for generated names (adjective_noun, like Docker's).
const adjectives = [
  'amber', 'brave', 'calm', 'clever', 'cosmic', 'crisp', 'daring', 'eager', 'fierce', 'gentle', 'glad', 'happy',
  'hardy', 'humble', 'jolly', 'keen', 'kind', 'lively', 'lucid', 'merry', 'mighty', 'nimble', 'noble', 'patient',
  'plucky', 'proud', 'quiet', 'rapid', 'serene', 'sharp', 'shiny', 'silent', 'steady', 'sturdy', 'swift', 'tidy',
  'vivid', 'warm', 'wise', 'witty', 'zealous', 'bold', 'bright', 'busy', 'cheerful', 'curious', 'dreamy', 'quirky',
];
const nouns = [
  'anchor', 'barge', 'beacon', 'buoy', 'cable', 'canal', 'cargo', 'compass', 'crane', 'current', 'dock', 'ferry',
  'fjord', 'galley', 'harbor', 'haven', 'helm', 'island', 'jetty', 'keel', 'lagoon', 'lantern', 'mast', 'mooring',
  'navigator', 'oar', 'pier', 'pilot', 'port', 'quay', 'reef', 'rudder', 'sail', 'schooner', 'skipper', 'sloop',
  'stern', 'tide', 'tugboat', 'vessel', 'voyage', 'wharf', 'wave', 'yacht', 'lighthouse', 'marina', 'atoll', 'cove',
];

/** A random `adjective_noun` name that `taken` does not report as used. */
export function generateName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${adjectives[randomInt(adjectives.length)]}_${nouns[randomInt(nouns.length)]}`;
    const name = attempt < 10 ? base : `${base}${randomInt(10)}`;
    if (!taken(name)) return name;
  }
}
