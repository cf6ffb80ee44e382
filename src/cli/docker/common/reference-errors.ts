/**
 * Docker's wording for reference parse errors where it differs from
 * core's: the lowercase error names the repository path it checked.
 */
import { parseNormalizedNamed, type Reference } from '../../../core/index.js';

export function parseReference(s: string): Reference {
  try {
    return parseNormalizedNamed(s);
  } catch (err) {
    const msg = (err as Error).message;
    if (!msg.includes('must be lowercase')) throw err;
    const slash = s.indexOf('/');
    const first = slash < 0 ? '' : s.slice(0, slash);
    // A first component with upper case is taken for a registry host, as distribution/reference does.
    const hasDomain = first !== '' && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
    let remainder = hasDomain ? s.slice(slash + 1) : s;
    if (!hasDomain && !remainder.includes('/')) remainder = `library/${remainder}`;
    const name = remainder.replace(/[:@].*$/, '');
    throw new Error(`invalid reference format: repository name (${name}) must be lowercase`);
  }
}
