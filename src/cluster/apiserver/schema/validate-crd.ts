/**
 * The CustomResourceDefinition checks users hit most (apiextensions
 * validation): name = plural.group, names, scope, one storage version,
 * schemas required, version names.
 */
import { fieldErrors, root } from './field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from './name-validation.js';
import { asArr, asObj, asStr, type Obj } from './validate-meta.js';
import type { FieldError } from './types.js';

export function validateCrd(crd: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asObj(crd['spec']);
  const names = asObj(spec['names']);
  const group = asStr(spec['group']);
  const plural = asStr(names['plural']);
  const name = asStr(asObj(crd['metadata'])['name']);
  const p = root('spec');
  if (name !== '' && name !== `${plural}.${group}`) errs.push(fieldErrors.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (group === '') errs.push(fieldErrors.required(p.child('group').path));
  else {
    for (const m of isDNS1123Subdomain(group)) errs.push(fieldErrors.invalid(p.child('group').path, group, m));
    if (group.split('.').length < 2) errs.push(fieldErrors.invalid(p.child('group').path, group, 'should be a domain with at least one dot'));
  }
  const scope = spec['scope'];
  if (scope === undefined || scope === '') errs.push(fieldErrors.required(p.child('scope').path));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(fieldErrors.notSupported(p.child('scope').path, scope, ['Cluster', 'Namespaced']));
  const np = p.child('names');
  if (plural === '') errs.push(fieldErrors.required(np.child('plural').path));
  else for (const m of isDNS1035Label(plural)) errs.push(fieldErrors.invalid(np.child('plural').path, plural, m));
  const singular = asStr(names['singular']);
  if (singular !== '') for (const m of isDNS1035Label(singular)) errs.push(fieldErrors.invalid(np.child('singular').path, singular, m));
  if (asStr(names['kind']) === '') errs.push(fieldErrors.required(np.child('kind').path));
  const versions = asArr(spec['versions']).map(asObj);
  const vp = p.child('versions');
  if (versions.length === 0) errs.push(fieldErrors.invalid(vp.path, null, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v['storage'] === true).length !== 1) {
    errs.push(fieldErrors.invalid(vp.path, versions.map((v) => asStr(v['name'])), 'must have exactly one version marked as storage version'));
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const ip = vp.index(i);
    const vn = asStr(v['name']);
    if (vn === '') errs.push(fieldErrors.required(ip.child('name').path));
    else {
      for (const m of isDNS1035Label(vn)) errs.push(fieldErrors.invalid(ip.child('name').path, vn, m));
      if (seen.has(vn)) errs.push(fieldErrors.invalid(vp.path, vn, 'must contain unique version names'));
      seen.add(vn);
    }
    const schema = asObj(v['schema'])['openAPIV3Schema'];
    if (schema === undefined || schema === null) errs.push(fieldErrors.required(ip.child('schema').child('openAPIV3Schema').path, 'schemas are required'));
    else if (asStr(asObj(schema)['type']) !== 'object') {
      errs.push(fieldErrors.invalid(ip.child('schema').child('openAPIV3Schema').child('type').path, asObj(schema)['type'] ?? '', 'must be object at the root'));
    }
  });
  if (old !== undefined) {
    const oldSpec = asObj(old['spec']);
    if (asStr(oldSpec['group']) !== '' && group !== oldSpec['group']) errs.push(fieldErrors.invalid(p.child('group').path, group, 'field is immutable'));
    if (asStr(oldSpec['scope']) !== '' && scope !== oldSpec['scope']) errs.push(fieldErrors.invalid(p.child('scope').path, scope, 'field is immutable'));
    if (asStr(asObj(oldSpec['names'])['plural']) !== '' && plural !== asObj(oldSpec['names'])['plural']) {
      errs.push(fieldErrors.invalid(np.child('plural').path, plural, 'field is immutable'));
    }
  }
  return errs;
}
