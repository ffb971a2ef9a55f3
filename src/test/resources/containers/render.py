#!/usr/bin/python3
# Renders a server.xml template the way the official Atlassian images' /entrypoint.py does at every
# container start (entrypoint_helpers.py: env, jenv, gen_cfg), for the container ITs:
#   - the whole environment, names lower-cased, is the template's context;
#   - Jinja2 with a FileSystemLoader on the template directory (the images': /opt/atlassian/etc/)
#     and select_autoescape(['xml']) (a *.j2 name is therefore not autoescaped);
#   - the result overwrites the target (open(target, 'w')).
# Usage: render.py <template-dir> <template-name> <target>
import os
import sys

import jinja2 as j2


def main():
    template_dir, template, target = sys.argv[1:4]
    env = {k.lower(): v for k, v in os.environ.items()}
    jenv = j2.Environment(loader=j2.FileSystemLoader(template_dir),
                          autoescape=j2.select_autoescape(['xml']))
    cfg = jenv.get_template(template).render(env)
    with open(target, 'w') as fd:
        fd.write(cfg)


if __name__ == '__main__':
    main()
