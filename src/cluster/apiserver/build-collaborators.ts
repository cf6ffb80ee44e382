/** Builds the API server's collaborators from the sibling modules as they are today. */
import type { Collaborators } from './collaborators.js';
import { schemaPort } from './default-collaborators.js';
import { createSchemaService } from './schema/index.js';

export function buildCollaborators(): Collaborators {
  const schema = createSchemaService();
  return { schema: schemaPort(schema) };
}
