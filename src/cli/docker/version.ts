/**
 * `berth version`: client and server versions with the docker CLI's
 * template (aligned by a tabwriter with minwidth 20, padding 1), or a
 * custom `--format`.
 */
import { ApiError } from '../engine-client/api-error.js';
import { CliError, StatusError } from './common/cli-error.js';
import { clientArch, clientVersion, DEFAULT_API_VERSION } from './common/client-info.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { dockerFuncs, GO_TYPE, Template } from './format/go-template.js';
import { tabwrite } from './format/tabwriter.js';
import { withGoNames } from './format/go-fields.js';

export const spec: CommandSpec = {
  name: 'version',
  usage: 'berth version [OPTIONS]',
  summary: 'Show the Berth version information',
  flags: { format: { type: 'string', short: 'f', help: "Format output using a custom template:\n'json' or a Go template" } },
  args: { max: 0 },
};

const DEFAULT_TEMPLATE = `{{with .Client -}}
Client:{{if ne .Platform nil}}{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}{{end}}
 Version:\t{{.Version}}
 API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
 Go version:\t{{.GoVersion}}
 Git commit:\t{{.GitCommit}}
 Built:\t{{.BuildTime}}
 OS/Arch:\t{{.Os}}/{{.Arch}}
 Context:\t{{.Context}}
{{- end}}

{{- if ne .Server nil}}{{with .Server}}

Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
 {{- range $component := .Components}}
 {{$component.Name}}:
  {{- if eq $component.Name "Engine" }}
  Version:\t{{.Version}}
  API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
  Go version:\t{{index .Details "GoVersion"}}
  Git commit:\t{{index .Details "GitCommit"}}
  Built:\t{{index .Details "BuildTime"}}
  OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
  Experimental:\t{{index .Details "Experimental"}}
  {{- else }}
  Version:\t{{$component.Version}}
  {{- $detailsOrder := getDetailsOrder $component}}
  {{- range $key := $detailsOrder}}
  {{$key}}:\t{{index $component.Details $key}}
   {{- end}}
  {{- end}}
 {{- end}}
 {{- end}}{{- end}}`;

interface Component {
  Name: string;
  Version: string;
  Details?: Record<string, string> | null;
}

interface ServerVersion {
  Platform?: { Name: string };
  Components?: Component[] | null;
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime?: string;
}

/** time.ANSIC of an RFC3339 build time; anything else unchanged. */
function reformatDate(s: string | undefined): string {
  if (!s) return s ?? '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const day = d.toLocaleString('en-US', { weekday: 'short', timeZone: 'UTC' });
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const format = inv.string('format') ?? '';
    let tmpl: Template;
    try {
      tmpl = new Template(
        format === '' ? DEFAULT_TEMPLATE : format === 'json' ? '{{json .}}' : format,
        { ...dockerFuncs, getDetailsOrder: (c) => Object.keys((c as Component).Details ?? {}).sort() },
        { name: 'version' },
      );
    } catch (err) {
      throw new StatusError(64, `template parsing error: ${(err as Error).message}`);
    }
    const client = inv.client();
    let serverError: unknown;
    let server: ServerVersion | null = null;
    let apiVersion = '';
    try {
      apiVersion = await client.apiVersion();
      server = withGoNames(await client.json<ServerVersion>('GET', '/version'));
    } catch (err) {
      serverError = err;
    }
    if (server) {
      server.Components ??= [];
      const engine = server.Components.find((c) => c.Name === 'Engine');
      if (engine?.Details?.['BuildTime'] !== undefined) engine.Details['BuildTime'] = reformatDate(engine.Details['BuildTime']);
      if (!engine) {
        server.Components.push({
          Name: 'Engine',
          Version: server.Version,
          Details: {
            ApiVersion: server.ApiVersion,
            MinAPIVersion: server.MinAPIVersion ?? '',
            GitCommit: server.GitCommit,
            GoVersion: server.GoVersion,
            Os: server.Os,
            Arch: server.Arch,
            BuildTime: reformatDate(server.BuildTime),
            Experimental: String(server.Experimental ?? false),
          },
        });
      }
      server.Platform ??= { Name: '' };
    }
    const clientFields = {
        Version: clientVersion(),
        APIVersion: apiVersion,
        DefaultAPIVersion: DEFAULT_API_VERSION,
        GitCommit: '',
        GoVersion: `node${process.versions.node}`,
        Os: process.platform,
        Arch: clientArch(),
        BuildTime: '',
        Context: 'default',
    };
    const clientInfo = {
      [GO_TYPE]: 'system.clientVersion',
      Platform: null,
      ...clientFields,
      /** The JSON names and omitempty rules of docker's clientVersion. */
      goMarshalJSON: () => {
        const { APIVersion, ...rest } = clientFields;
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries({ Version: rest.Version, ApiVersion: APIVersion, DefaultAPIVersion: rest.DefaultAPIVersion, GitCommit: rest.GitCommit, GoVersion: rest.GoVersion, Os: rest.Os, Arch: rest.Arch, BuildTime: rest.BuildTime })) if (v !== '') out[k] = v;
        return JSON.stringify({ ...out, Context: rest.Context });
      },
    };
    const data = { [GO_TYPE]: 'system.versionInfo', Client: clientInfo, Server: server };
    let text: string;
    try {
      text = tmpl.execute(data);
    } catch (err) {
      io.stdout.write('\n');
      throw new CliError((err as Error).message);
    }
    io.stdout.write(tabwrite(`${text}\n`, { minwidth: 20, padding: 1 }));
    if (serverError !== undefined) throw serverError instanceof ApiError ? serverError : serverError;
    return 0;
  });
}
