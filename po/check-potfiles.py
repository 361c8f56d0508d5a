#!/usr/bin/env python3
# check-potfiles.py: checks that po/POTFILES.in lists exactly the files with translatable text
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-potfiles.py SOURCE_ROOT
# Every file POTFILES.in names must exist, and every source file under src/ that marks a
# string for translation (_(), N_(), C_(), NC_(), g_dngettext() or translatable="yes" in a
# .ui file) must be listed, unless po/POTFILES.skip lists it. Standard library only.

import os
import re
import sys

C_MARK = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true)"')


def read_list(path):
  if not os.path.exists(path):
    return []
  with open(path, encoding='utf-8') as f:
    return [line.strip() for line in f
            if line.strip() and not line.lstrip().startswith('#')]


def has_translatable_text(path):
  with open(path, encoding='utf-8', errors='replace') as f:
    text = f.read()
  if path.endswith('.ui'):
    return UI_MARK.search(text) is not None
  return C_MARK.search(text) is not None


def main():
  if len(sys.argv) != 2:
    print(f'usage: {sys.argv[0]} SOURCE_ROOT', file=sys.stderr)
    return 2
  root = sys.argv[1]
  listed = read_list(os.path.join(root, 'po', 'POTFILES.in'))
  skipped = set(read_list(os.path.join(root, 'po', 'POTFILES.skip')))
  problems = []

  for name in listed:
    if not os.path.isfile(os.path.join(root, name)):
      problems.append(f'po/POTFILES.in: “{name}” does not exist')
  if len(set(listed)) != len(listed):
    problems.append('po/POTFILES.in: a file is listed twice')

  for folder, dirs, files in os.walk(os.path.join(root, 'src')):
    dirs.sort()
    for file in sorted(files):
      if not file.endswith(('.c', '.ui')):
        continue
      path = os.path.join(folder, file)
      name = os.path.relpath(path, root).replace(os.sep, '/')
      if name in listed or name in skipped:
        continue
      if has_translatable_text(path):
        problems.append(f'{name} has translatable text but is not in po/POTFILES.in')

  for text in problems:
    print(text)
  return 1 if problems else 0


if __name__ == '__main__':
  sys.exit(main())
