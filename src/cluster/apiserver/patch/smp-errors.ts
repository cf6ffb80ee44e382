/**
 * Errors raised while applying a strategic merge patch, tagged the way the
 * API server's interpretStrategicMergePatchError sorts them: format errors
 * are 400, list-of-lists and retainKeys mismatches 422, anything else is a
 * plain error (500).
 */
import { badRequest, genericUnprocessable, plainServerError } from './patch-errors.js';
import type { BerthError } from '../../../core/index.js';

export type SmpErrorClass = 'badRequest' | 'unprocessable' | 'plain';

export class SmpError extends Error {
  constructor(message: string, readonly errorClass: SmpErrorClass = 'plain') {
    super(message);
    this.name = 'SmpError';
  }

  toBerthError(): BerthError {
    switch (this.errorClass) {
      case 'badRequest':
        return badRequest(this.message);
      case 'unprocessable':
        return genericUnprocessable(this.message);
      default:
        return plainServerError(this.message);
    }
  }
}

export const ERR_NO_LIST_OF_LISTS = (): SmpError => new SmpError('lists of lists are not supported', 'unprocessable');
export const ERR_PRIMITIVE_LIST_FORMAT = (): SmpError => new SmpError('invalid patch format of primitive list', 'badRequest');
export const ERR_RETAIN_KEYS_FORMAT = (): SmpError => new SmpError('invalid patch format of retainKeys', 'badRequest');
export const ERR_SET_ELEMENT_ORDER_FORMAT = (): SmpError => new SmpError('invalid patch format of setElementOrder list', 'badRequest');
