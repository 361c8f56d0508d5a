#!/usr/bin/env python3
# check-manifest.py: checks that a Flatpak manifest is valid JSON and fits this project
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-manifest.py MANIFEST.json
# Prints one line per problem and exits 1 if there is any. Standard library only.

import json
import os
import re
import sys

problems = []


def problem(text):
  problems.append(text)


def no_duplicate_keys(pairs):
  seen = {}
  for key, value in pairs:
    if key in seen:
      problem(f'key “{key}” appears twice in one object')
    seen[key] = value
  return seen


def check_source(module, source, manifest_dir):
  kind = source.get('type')
  where = f'module “{module}”, source of type “{kind}”'
  if kind in ('archive', 'file'):
    url = source.get('url', '')
    if not url.startswith('https://'):
      problem(f'{where}: url “{url}” must be an https:// address')
    if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
      problem(f'{where}: sha256 must be 64 lower-case hex digits')
  elif kind == 'dir':
    path = os.path.join(manifest_dir, source.get('path', ''))
    if not os.path.isfile(os.path.join(path, 'meson.build')):
      problem(f'{where}: path “{source.get("path")}” is not the project folder')
  elif kind == 'git':
    if 'url' not in source or not ('commit' in source or 'tag' in source):
      problem(f'{where}: a git source needs a url and a commit or tag')
  else:
    problem(f'{where}: unexpected source type')


def main():
  if len(sys.argv) != 2:
    print(f'usage: {sys.argv[0]} MANIFEST.json', file=sys.stderr)
    return 2
  path = sys.argv[1]
  try:
    with open(path, encoding='utf-8') as f:
      manifest = json.load(f, object_pairs_hook=no_duplicate_keys)
  except (OSError, ValueError) as e:
    print(f'{path}: {e}')
    return 1

  app_id = manifest.get('id') or manifest.get('app-id')
  stem = os.path.basename(path).removesuffix('.json')
  if app_id != stem:
    problem(f'id “{app_id}” does not match the file name “{stem}.json”')
  for key in ('runtime', 'runtime-version', 'sdk', 'command', 'modules'):
    if key not in manifest:
      problem(f'“{key}” is missing')
  runtime = manifest.get('runtime', '')
  if runtime.endswith('.Platform') and manifest.get('sdk') != runtime[:-len('Platform')] + 'Sdk':
    problem(f'sdk “{manifest.get("sdk")}” does not belong to runtime “{runtime}”')
  if manifest.get('command') != 'orderly':
    problem(f'command is “{manifest.get("command")}”, not “orderly”')
  for arg in manifest.get('finish-args', []):
    if not re.fullmatch(r'--[a-z-]+(=.+)?', arg):
      problem(f'finish-arg “{arg}” is not of the form --name or --name=value')

  modules = manifest.get('modules', [])
  if not modules or not all(isinstance(m, dict) for m in modules):
    problem('modules must be a non-empty list of objects')
    modules = []
  manifest_dir = os.path.dirname(os.path.abspath(path))
  for module in modules:
    name = module.get('name')
    if not name:
      problem('a module has no name')
    if not module.get('sources'):
      problem(f'module “{name}” has no sources')
    for source in module.get('sources', []):
      check_source(name, source, manifest_dir)

  if modules:
    app = modules[-1]
    if app.get('name') != 'orderly' or app.get('buildsystem') != 'meson':
      problem('the last module must be “orderly”, built with meson')
    devel = '-Ddevelopment=true' in app.get('config-opts', [])
    if devel != (app_id or '').endswith('.Devel'):
      problem('-Ddevelopment=true must be set exactly when the id ends in .Devel')

  for text in problems:
    print(f'{path}: {text}')
  return 1 if problems else 0


if __name__ == '__main__':
  sys.exit(main())
