import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges } from '../../../../src/engine/images/change-parser.js';
import { mergeConfig } from '../../../../src/engine/images/merge-config.js';

// Expected values were observed on Docker 20.10 (`docker import -c … ; docker image inspect`).

test('applies every change instruction like Docker', () => {
  const cfg = applyChanges({}, [
    'ENTRYPOINT /bin/sh -c "x"',
    'CMD echo hi',
    'ENV A=1 B="two words" C=\\"q\\" E=a\\ b',
    'ENV D e f',
    'EXPOSE 80 443/udp',
    'LABEL a=b "c d"=e',
    'USER nobody',
    'VOLUME ["/data", "/x"]',
    'VOLUME /y /z',
    'WORKDIR /w',
    'WORKDIR rel',
    'ONBUILD RUN echo',
    'HEALTHCHECK --interval=5s --retries=2 CMD true',
    'STOPSIGNAL SIGINT',
  ]);
  assert.deepEqual(cfg.Entrypoint, ['/bin/sh', '-c', '/bin/sh -c "x"']);
  assert.deepEqual(cfg.Cmd, ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(cfg.Env, ['A=1', 'B=two words', 'C="q"', 'E=a b', 'D=e f']);
  assert.deepEqual(cfg.ExposedPorts, { '80/tcp': {}, '443/udp': {} });
  assert.deepEqual(cfg.Labels, { a: 'b', 'c d': 'e' });
  assert.equal(cfg.User, 'nobody');
  assert.deepEqual(Object.keys(cfg.Volumes ?? {}).sort(), ['/data', '/x', '/y', '/z']);
  assert.equal(cfg.WorkingDir, '/w/rel');
  assert.deepEqual(cfg.OnBuild, ['RUN echo']);
  assert.deepEqual(cfg.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5_000_000_000, Retries: 2 });
  assert.equal(cfg.StopSignal, 'SIGINT');
});

test('expands variables from earlier ENV lines, ranges, JSON fallbacks', () => {
  const cfg = applyChanges({}, ['EXPOSE 80-82', 'ENV X=$HOME/y', 'ENV P=/a', 'ENV Q=$P/b ZZ=${P}c', 'LABEL l=$P', "ENV s='x$y'", 'EXPOSE $NOPE']);
  assert.deepEqual(cfg.ExposedPorts, { '80/tcp': {}, '81/tcp': {}, '82/tcp': {} });
  assert.deepEqual(cfg.Env, ['X=/y', 'P=/a', 'Q=/a/b', 'ZZ=/ac', 's=x$y']);
  assert.deepEqual(cfg.Labels, { l: '/a' });
  assert.deepEqual(applyChanges({}, ['CMD ["a", ']).Cmd, ['/bin/sh', '-c', '["a",']);
  assert.deepEqual(applyChanges({}, ['CMD']).Cmd, ['/bin/sh', '-c']);
  assert.deepEqual(applyChanges({}, ['CMD []']).Cmd, []);
  assert.deepEqual(applyChanges({}, ['cmd ["x"]', 'healthcheck CMD ["a","b"]']), { Cmd: ['x'], Healthcheck: { Test: ['CMD', 'a', 'b'] } });
  assert.deepEqual(applyChanges({}, ['HEALTHCHECK NONE']).Healthcheck, { Test: ['NONE'] });
  assert.equal(applyChanges({}, ['USER a b']).User, 'a b');
  assert.equal(applyChanges({}, ['WORKDIR a b']).WorkingDir, '/a b');
});

test('ENTRYPOINT resets an inherited CMD unless CMD was set by the changes', () => {
  assert.equal(applyChanges({ Cmd: ['old'] }, ['ENTRYPOINT ["a"]']).Cmd, null);
  assert.deepEqual(applyChanges({}, ['CMD ["a"]', 'ENTRYPOINT b']), { Cmd: ['a'], Entrypoint: ['/bin/sh', '-c', 'b'] });
});

test('refuses bad changes with Docker messages', () => {
  const cases: [string, string][] = [
    ['RUN x', 'run is not a valid change command'],
    ['FROM x', 'from is not a valid change command'],
    ['SHELL ["/bin/bash"]', 'shell is not a valid change command'],
    ['ENV', 'ENV requires at least one argument'],
    ['ENV onlykey', 'ENV must have two arguments'],
    ['ENV a=1 b', 'Syntax error - can\'t find = in "b". Must be of the form: name=value'],
    ['ENV =x', 'ENV names can not be blank'],
    ['LABEL', 'LABEL requires at least one argument'],
    ['LABEL a', 'LABEL must have two arguments'],
    ['LABEL =x', 'LABEL names can not be blank'],
    ['WORKDIR', 'WORKDIR requires exactly one argument'],
    ['USER', 'USER requires exactly one argument'],
    ['VOLUME', 'VOLUME requires at least one argument'],
    ['VOLUME []', 'VOLUME requires at least one argument'],
    ['VOLUME ["/a", 1]', 'when using JSON array syntax, arrays must be comprised of strings only'],
    ['EXPOSE', 'EXPOSE requires at least one argument'],
    ['EXPOSE abc', 'Invalid containerPort: abc'],
    ['EXPOSE 70000', 'Invalid containerPort: 70000'],
    ['EXPOSE 80/xyz', 'Invalid proto: xyz'],
    ['HEALTHCHECK', 'HEALTHCHECK requires at least one argument'],
    ['HEALTHCHECK NONE x', 'HEALTHCHECK NONE takes no arguments'],
    ['HEALTHCHECK CMD', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK CMD-SHELL x', 'Unknown type "CMD-SHELL" in HEALTHCHECK (try CMD)'],
    ['HEALTHCHECK --bogus=1 CMD x', 'Unknown flag: bogus'],
    ['HEALTHCHECK --interval=abc CMD x', 'time: invalid duration "abc"'],
    ['HEALTHCHECK --interval=100us CMD x', 'Interval "interval" cannot be less than 1ms'],
    ['HEALTHCHECK --retries=-1 CMD x', '--retries must be at least 1 (not -1)'],
    ['ONBUILD', 'ONBUILD requires at least one argument'],
    ['ONBUILD ONBUILD x', 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed'],
    ['ONBUILD FROM x', "FROM isn't allowed as an ONBUILD trigger"],
    ['ONBUILD MAINTAINER x', "MAINTAINER isn't allowed as an ONBUILD trigger"],
    ['STOPSIGNAL FOO', 'Invalid signal: FOO'],
  ];
  for (const [change, message] of cases) {
    assert.throws(() => applyChanges({}, [change]), (err: Error & { kind?: string }) => {
      assert.equal(err.message, message, change);
      assert.equal(err.kind, 'InvalidArgument', change);
      return true;
    });
  }
});

test('commit merge fills unset fields from the container config', () => {
  const merged = mergeConfig(applyChanges({ Env: ['A=1'], Cmd: ['sh'] }, ['ENV B=2']), { Env: ['A=1', 'C=3'], Cmd: ['sh'], Labels: { l: 'v' }, WorkingDir: '/w', User: 'u' });
  assert.deepEqual(merged.Env, ['A=1', 'B=2', 'C=3']);
  assert.deepEqual(merged.Labels, { l: 'v' });
  assert.equal(merged.WorkingDir, '/w');
  assert.equal(merged.User, 'u');
  assert.deepEqual(mergeConfig({}, {}).Labels, {}, 'Docker turns nil labels into {}');
});
