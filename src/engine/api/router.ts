import type { ApiRequest } from './request.js';
import type { ApiResponse } from './response.js';

export type Handler = (req: ApiRequest, res: ApiResponse) => Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * A small method + path router. `{id}` matches one segment; `{name*}`
 * matches greedily across slashes, because image names such as
 * `localhost:5000/team/app:1` appear unescaped inside paths
 * (`/images/{name*}/json`).
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template.replace(/[.+?^$()[\]|\\]/g, '\\$&').replace(/\{(\w+)(\*?)\}/g, (_m, name: string, star: string) => {
      names.push(name);
      return star ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, handler });
    return this;
  }

  get(t: string, h: Handler): this {
    return this.add('GET', t, h);
  }
  post(t: string, h: Handler): this {
    return this.add('POST', t, h);
  }
  put(t: string, h: Handler): this {
    return this.add('PUT', t, h);
  }
  delete(t: string, h: Handler): this {
    return this.add('DELETE', t, h);
  }
  head(t: string, h: Handler): this {
    return this.add('HEAD', t, h);
  }

  /** Finds the handler; `methodMismatch` tells 405 from 404. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return { methodMismatch: pathMatched };
  }
}
