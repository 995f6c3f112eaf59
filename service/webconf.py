"""The web servers' configuration of a published site (``fukushi-kg publish``): nginx, Apache, w3id.

The rules give a static copy the answers ``fukushi-kg serve`` gives, as far as a file server can:

- a resource IRI without extension (``/id/plan/x``) serves ``x.ja.html``, ``x.en.html``, ``x.ttl``,
  ``x.jsonld``, ``x.nt`` or ``x.rdf`` by ``?format=``, else ``Accept`` (the first type the header
  names that the site has; ``*/*``, ``text/*`` and no header give HTML; ``application/json`` JSON-LD,
  ``application/xml`` RDF/XML, ``text/plain`` N-Triples; a header naming none of these is 406), with
  ``Vary: Accept, Accept-Language`` and the chosen file in ``Content-Location``;
- HTML in the language of ``?lang=``, else the first of ja / en in ``Accept-Language``, else ja;
- every representation links its alternates (``Link: <…>; rel="alternate"; type="…"``), carries
  ``Cache-Control: public, max-age=3600`` and the server's own ``ETag`` / ``Last-Modified``, and
  ``If-None-Match`` / ``If-Modified-Since`` are answered 304 by the server;
- ``/dataset`` negotiates its page and its DCAT-AP + VoID description the same way, and
  ``/.well-known/void`` redirects to its Turtle.

A server cannot weigh q-values with these rules: ``text/turtle;q=0.5, application/ld+json`` gets
Turtle where ``serve`` answers JSON-LD. Clients that list their preferred type first (all RDF
libraries and browsers do) get the same answer from both.

The w3id rules (``_server/w3id.htaccess``, for the ``{name}/.htaccess`` of the w3id.org repository)
send ``{base}…`` to the same path on the deployment host: resource IRIs by ``303 See Other`` (they
name things, not documents) straight to the representation ``Accept`` asks for, everything else
(``dumps/``, ``sources/``, pages) by ``302``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

MARKER = "_server/publication.json"  # written last: a folder with it is an earlier publication
MISSING = "__publish_404__"  # a path under /id/ that is never minted (its page is the 404 page)
LANGUAGES = ("ja", "en")
# (area regex, RDF extensions its resources have)
AREAS = (("id|def|eli", ("ttl", "jsonld", "nt", "rdf")), ("graph", ("ttl", "jsonld", "nt", "rdf", "trig")))
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
TEXT_TYPES = (
    "text/plain text/css text/turtle application/ld+json application/n-triples application/rdf+xml "
    "application/trig application/n-quads application/javascript application/json"
)
FORMAT_NAMES = {  # ?format= values serve takes, and the file extension each names
    "html": "html",
    "text/html": "html",
    "ttl": "ttl",
    "turtle": "ttl",
    "text/turtle": "ttl",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "application/ld+json": "jsonld",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "application/n-triples": "nt",
    "rdf": "rdf",
    "rdfxml": "rdf",
    "owl": "rdf",
    "application/rdf+xml": "rdf",
    "trig": "trig",
    "application/trig": "trig",
}
# Accept -> extension, first match wins: the type the header starts with, then one it names later.
ACCEPT_RULES = (
    (r"^\s*(text/html|application/xhtml\+xml)", "html"),
    (r"^\s*text/turtle", "ttl"),
    (r"^\s*application/ld\+json", "jsonld"),
    (r"^\s*application/n-triples", "nt"),
    (r"^\s*application/rdf\+xml", "rdf"),
    (r"^\s*application/trig", "trig"),
    (r"^\s*application/json", "jsonld"),
    (r"^\s*application/xml", "rdf"),
    (r"^\s*text/plain", "nt"),
    (r"(text/html|application/xhtml\+xml)", "html"),
    (r"text/turtle", "ttl"),
    (r"application/ld\+json", "jsonld"),
    (r"application/n-triples", "nt"),
    (r"application/rdf\+xml", "rdf"),
    (r"application/trig", "trig"),
    (r"\*/\*", "html"),
    (r"text/\*", "html"),
    (r"application/\*", "jsonld"),
)
# Accept-Language -> en when en comes before any ja (serve's rule); ja otherwise.
ENGLISH_FIRST = r"^(\s*(?!ja|en)[^,]*,)*\s*en"
CACHE_CONTROL = "public, max-age=3600"


@dataclass(frozen=True)
class Site:
    base: str  # the IRI base the build minted under, e.g. https://w3id.org/fukushi-kg/
    host: str  # where the files are served, e.g. https://fukushi-kg.example.org/
    endpoint: str  # the SPARQL endpoint the query page asks

    @property
    def service(self) -> str | None:
        """The service behind ``endpoint`` (``https://x/sparql`` -> ``https://x/``), where search and
        filtered program lists are sent; None when the endpoint is not a fukushi-kg ``…/sparql``
        elsewhere than this site."""
        if not self.endpoint.endswith("/sparql") or self.endpoint.startswith((self.host, self.base)):
            return None
        return self.endpoint[: -len("sparql")]


def _links(res: str, exts: tuple[str, ...]) -> str:
    """The Link header value naming every representation of the resource at path ``res``."""
    out = [
        f'<{res}.html?lang={lang}>; rel=\\"alternate\\"; type=\\"text/html\\"; hreflang=\\"{lang}\\"'
        for lang in LANGUAGES
    ]
    out += [f'<{res}.{ext}>; rel=\\"alternate\\"; type=\\"{MEDIA[ext]}\\"' for ext in exts]
    return ", ".join(out)


# ------------------------------------------------------------------ nginx
def nginx_http() -> str:
    """What goes in nginx's ``http {}`` block: the maps the locations read."""
    lines = [
        "# fukushi-kg static site: maps for nginx's http {} block (generated by `fukushi-kg publish`).",
        "map $arg_format $fk_format {",
        "    default 406;",
        '    "" "";',
    ]
    lines += [f'    "{name}" {ext};' for name, ext in FORMAT_NAMES.items()]
    lines += ["}", "map $http_accept $fk_accept {", "    default 406;", '    "" html;']
    lines += [f'    "~*{rx}" {ext};' for rx, ext in ACCEPT_RULES]
    lines += [
        "}",
        "map $fk_format $fk_want {",
        '    "" $fk_accept;',
        "    default $fk_format;",
        "}",
        "map $arg_lang $fk_lang_arg {",
        '    default "";',
        "    ja ja;",
        "    en en;",
        "}",
        "map $http_accept_language $fk_lang_header {",
        "    default ja;",
        f'    "~*{ENGLISH_FIRST}" en;',
        "}",
        "map $fk_lang_arg $fk_lang {",
        '    "" $fk_lang_header;',
        "    default $fk_lang_arg;",
        "}",
        "map $fk_want $fk_file {",
        '    html "$fk_lang.html";',
        "    default $fk_want;",
        "}",
        "map $fk_want $fk_location {",
        '    html ".html?lang=$fk_lang";',
        '    default ".$fk_want";',
        "}",
        "map $fk_want $fk_dataset_location {",
        '    html "/dataset?format=html&lang=$fk_lang";',
        '    default "/dataset?format=$fk_want";',
        "}",
        "",
    ]
    return "\n".join(lines)


def _nginx_headers(*extra: str) -> list[str]:
    return [
        f'        add_header Cache-Control "{CACHE_CONTROL}";',
        '        add_header Access-Control-Allow-Origin "*";',
        '        add_header Access-Control-Expose-Headers "ETag, Content-Location, Link";',
        *(f"        {e}" for e in extra),
    ]


def nginx_locations(site: Site) -> str:
    """What goes in the site's ``server {}`` block (after ``root /path/to/OUT;``)."""
    types = "\n".join(f"        {media} {ext};" for ext, media in MEDIA.items())
    out = [
        "# fukushi-kg static site: locations for the server {} block (generated by `fukushi-kg publish`).",
        "# Needs the maps of nginx-http.conf in the http {} block and `root` set to the published folder.",
        "charset utf-8;",
        f"charset_types {TEXT_TYPES};",
        "if_modified_since before;",
        "absolute_redirect off;",
        "etag on;",
        "types {",
        types,
        "    text/plain txt;",
        "    text/csv csv;",
        "    text/css css;",
        "    application/javascript js;",
        "    application/json json;",
        "    application/gzip gz;",
        "    image/svg+xml svg;",
        "}",
        "default_type application/octet-stream;",
        "error_page 404 /404.$fk_lang.html;",
        "location ~ ^/404\\.(ja|en)\\.html$ {",
        "    internal;",
        "}",
    ]
    for area, exts in AREAS:
        alt = "|".join(exts)
        out += [
            f'location ~ "^(?<fk_res>/(?:{area})/.+)\\.(?:{alt})$" {{',
            *_nginx_headers(f'add_header Link "{_links("$fk_res", exts)}";'),
            "}",
            f'location ~ "^(?<fk_res>/(?:{area})/.+)\\.html$" {{',
            "    try_files $fk_res.$fk_lang.html =404;",
            *_nginx_headers(
                'add_header Vary "Accept-Language";',
                'add_header Content-Location "$fk_res.html?lang=$fk_lang";',
                f'add_header Link "{_links("$fk_res", exts)}";',
            ),
            "}",
        ]
    out += [
        "location = /def/ {",
        "    rewrite ^ /def/index last;",
        "}",
    ]
    for area, exts in AREAS:
        out += [
            f'location ~ "^(?<fk_path>/(?:{area})/.+)$" {{',
            "    if ($fk_want = 406) {",
            "        return 406;",
            "    }",
            "    try_files $fk_path.$fk_file =404;",
            *_nginx_headers(
                'add_header Vary "Accept, Accept-Language";',
                'add_header Content-Location "$fk_path$fk_location";',
                f'add_header Link "{_links("$fk_path", exts)}";',
            ),
            "}",
        ]
    for path, name in (("/", "index"), ("/query", "query"), ("/ontology", "ontology"), ("/dashboards", "dashboards")):
        out += [
            f"location = {path} {{",
            f"    try_files /{name}.$fk_lang.html =404;",
            *_nginx_headers(
                'add_header Vary "Accept-Language";',
                f'add_header Content-Location "{path}?lang=$fk_lang";',
            ),
            "}",
        ]
    service = site.service
    out += [
        'location ~ "^(?<fk_dash>/dashboards/[A-Za-z0-9._~-]+)$" {',
        "    try_files $fk_dash.$fk_lang.html =404;",
        *_nginx_headers('add_header Vary "Accept-Language";', 'add_header Content-Location "$fk_dash?lang=$fk_lang";'),
        "}",
        "location = /programs {",
        *(
            ['    if ($args !~ "^(lang=(ja|en))?$") {', f"        return 307 {service}programs?$args;", "    }"]
            if service
            else []
        ),
        "    try_files /programs.$fk_lang.html =404;",
        *_nginx_headers('add_header Vary "Accept-Language";', 'add_header Content-Location "/programs?lang=$fk_lang";'),
        "}",
        "location = /programs.csv {",
        *(["    if ($args) {", f"        return 307 {service}programs.csv?$args;", "    }"] if service else []),
        "    default_type text/csv;",
        *_nginx_headers(),
        "}",
        *(["location = /search {", f"    return 307 {service}search$is_args$args;", "}"] if service else []),
    ]
    out += [
        "location = /dataset {",
        "    if ($fk_want = 406) {",
        "        return 406;",
        "    }",
        "    try_files /dataset.$fk_file =404;",
        *_nginx_headers(
            'add_header Vary "Accept, Accept-Language";',
            'add_header Content-Location "$fk_dataset_location";',
            f'add_header Link "{_dataset_links()}";',
        ),
        "}",
        "location = /.well-known/void {",
        "    return 303 /dataset?format=ttl;",
        "}",
        "location = /dumps/SHA256SUMS {",
        "    default_type text/plain;",
        *_nginx_headers(),
        "}",
        "location ~ ^/(dumps|sources|static)/ {",
        *_nginx_headers(),
        "}",
        "location = /context.jsonld {",
        *_nginx_headers(),
        "}",
        "location ~ ^/(dataset|index|query|ontology|programs|dashboards)\\.[a-z]+\\.html$|^/_server/ {",
        "    return 404;",
        "}",
    ]
    if not site.endpoint.startswith((site.host, site.base)):  # no loop through the w3id rules
        out += ["location = /sparql {", f"    return 307 {site.endpoint}$is_args$args;", "}"]
    return "\n".join(out) + "\n"


def _dataset_links() -> str:
    out = [
        f'</dataset?format=html&lang={lang}>; rel=\\"alternate\\"; type=\\"text/html\\"; hreflang=\\"{lang}\\"'
        for lang in LANGUAGES
    ]
    out += [
        f'</dataset?format={ext}>; rel=\\"alternate\\"; type=\\"{MEDIA[ext]}\\"'
        for ext in ("ttl", "jsonld", "nt", "rdf")
    ]
    return ", ".join(out)


def nginx_server(site: Site, root: str) -> str:
    """A complete example: the maps and one server block for the deployment host."""
    host = urlsplit(site.host)
    return (
        "# fukushi-kg static site for nginx (generated by `fukushi-kg publish`).\n"
        "# Put this file in /etc/nginx/conf.d/ (it is read inside the http {} block); adjust `listen`,\n"
        "# TLS and `root` (the published folder) to the host.\n"
        "include " + root + "/_server/nginx-http.conf;\n"
        "server {\n"
        "    listen 80;\n"
        f"    server_name {host.hostname};\n"
        f"    root {root};\n"
        f"    include {root}/_server/nginx-locations.conf;\n"
        "}\n"
    )


def nginx_standalone(out: str, listen: str, folder: str, user: str | None = None) -> str:
    """A whole nginx.conf serving the publication ``out`` on ``listen`` (``127.0.0.1:8080``), with its
    pid, log and temporary files in ``folder``: to try the site locally (``nginx -c … -p folder``),
    and what the tests and the page benchmark run."""
    temp = "\n".join(f"  {k}_temp_path {folder}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        "daemon off;\n"
        + (f"user {user};\n" if user else "")
        + f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 100000;
{temp}
  include {out}/_server/nginx-http.conf;
  server {{
    listen {listen};
    root {out};
    include {out}/_server/nginx-locations.conf;
  }}
}}
"""
    )


# ------------------------------------------------------------------ Apache
def _apache_links(var: str, exts: tuple[str, ...]) -> str:
    """A ``Header`` value (``expr=`` string) naming every representation of the resource whose path is ``var``."""
    res = f"%{{reqenv:{var}}}"
    out = [
        f'<{res}.html?lang={lang}>; rel=\\"alternate\\"; type=\\"text/html\\"; hreflang=\\"{lang}\\"'
        for lang in LANGUAGES
    ]
    out += [f'<{res}.{ext}>; rel=\\"alternate\\"; type=\\"{MEDIA[ext]}\\"' for ext in exts]
    return "expr=" + ", ".join(out)


def apache_htaccess(site: Site) -> str:
    """``OUT/.htaccess`` for Apache 2.4 (mod_rewrite, mod_headers, mod_mime, mod_dir; ``AllowOverride All``),
    the site at the server's root. Rewritten requests are internal redirects, so the variables the
    rules set are read back with the ``REDIRECT_`` prefix."""
    lines = [
        "# fukushi-kg static site for Apache 2.4 (generated by `fukushi-kg publish`).",
        "# Needs mod_rewrite, mod_headers, mod_mime and mod_dir, `AllowOverride All` for this folder,",
        "# and this folder as the DocumentRoot (the rules rewrite to /…).",
        "Options -MultiViews -Indexes +FollowSymLinks",
        "DirectorySlash Off",
        "DirectoryIndex disabled",
    ]
    lines += [f"AddType {media} .{ext}" for ext, media in MEDIA.items() if ext != "html"]
    lines += [
        "AddType application/gzip .gz",
        "AddType text/csv .csv",
        "AddCharset utf-8 .html .ttl .jsonld .nt .rdf .trig .nq .txt .css .js .json",
        '<Files "SHA256SUMS">',
        '    ForceType "text/plain; charset=utf-8"',
        "</Files>",
        "FileETag MTime Size",
        f'Header set Cache-Control "{CACHE_CONTROL}"',
        'Header set Access-Control-Allow-Origin "*"',
        'Header set Access-Control-Expose-Headers "ETag, Content-Location, Link"',
        'Header always set Vary "Accept, Accept-Language" env=REDIRECT_FK_NEG',
        'Header always set Vary "Accept-Language" env=REDIRECT_FK_LANGV',
        'Header always set Content-Location "%{REDIRECT_FK_LOCATION}e" env=REDIRECT_FK_LOCATION',
        f'Header always set Link "{_apache_links("FK_RES", AREAS[0][1])}" env=FK_RES',
        f'Header always set Link "{_apache_links("REDIRECT_FK_RES", AREAS[0][1])}" env=REDIRECT_FK_RES',
        f'Header always set Link "{_apache_links("FK_GRAPH", AREAS[1][1])}" env=FK_GRAPH',
        f'Header always set Link "{_apache_links("REDIRECT_FK_GRAPH", AREAS[1][1])}" env=REDIRECT_FK_GRAPH',
        f'Header always set Link "{_dataset_links()}" env=REDIRECT_FK_DATASET',
        "ErrorDocument 404 /404.ja.html",
        "RewriteEngine On",
        "RewriteBase /",
        "# the language: ?lang=, else the first of ja / en in Accept-Language, else ja",
        "RewriteRule ^ - [E=FK_LANG:ja]",
        f'RewriteCond %{{HTTP:Accept-Language}} "{ENGLISH_FIRST}" [NC]',
        "RewriteRule ^ - [E=FK_LANG:en]",
        "RewriteCond %{QUERY_STRING} (^|&)lang=(ja|en)(&|$)",
        "RewriteRule ^ - [E=FK_LANG:%2]",
        "# the representation: ?format=, else the first type Accept names that the site has",
        "RewriteCond %{HTTP:Accept} ^\\s*$",
        "RewriteRule ^ - [E=FK_WANT:html]",
    ]
    for rx, ext in ACCEPT_RULES:
        lines += [
            "RewriteCond %{ENV:FK_WANT} ^$",
            f'RewriteCond %{{HTTP:Accept}} "{rx}" [NC]',
            f"RewriteRule ^ - [E=FK_WANT:{ext}]",
        ]
    lines += ["RewriteCond %{ENV:FK_WANT} ^$", "RewriteRule ^ - [E=FK_WANT:406]"]
    for name, ext in FORMAT_NAMES.items():
        if "/" not in name:  # media types as format= values arrive %-encoded; the short names suffice
            lines += [f'RewriteCond %{{QUERY_STRING}} "(^|&)format={name}(&|$)"', f"RewriteRule ^ - [E=FK_WANT:{ext}]"]
    lines += [
        "RewriteCond %{ENV:FK_WANT} =html",
        "RewriteRule ^ - [E=FK_FILE:%{ENV:FK_LANG}.html,E=FK_LOC:.html?lang=%{ENV:FK_LANG}]",
        "RewriteCond %{ENV:FK_WANT} !=html",
        "RewriteRule ^ - [E=FK_FILE:%{ENV:FK_WANT},E=FK_LOC:.%{ENV:FK_WANT}]",
        "# the pages",
        "RewriteRule ^$ index.%{ENV:FK_LANG}.html [E=FK_LANGV:1,E=FK_LOCATION:/?lang=%{ENV:FK_LANG},END]",
        *(
            [
                f"RewriteRule ^search$ {site.service}search [R=307,QSA,END]",
                "RewriteCond %{QUERY_STRING} !^(lang=(ja|en))?$",
                f"RewriteRule ^programs(\\.csv)?$ {site.service}programs$1 [R=307,QSA,END]",
            ]
            if site.service
            else []
        ),
        "RewriteRule ^(query|ontology|programs|dashboards)$ $1.%{ENV:FK_LANG}.html "
        "[E=FK_LANGV:1,E=FK_LOCATION:/$1?lang=%{ENV:FK_LANG},END]",
        "RewriteRule ^dashboards/([A-Za-z0-9._~-]+)$ dashboards/$1.%{ENV:FK_LANG}.html "
        "[E=FK_LANGV:1,E=FK_LOCATION:/dashboards/$1?lang=%{ENV:FK_LANG},END]",
        "RewriteRule ^\\.well-known/void$ /dataset?format=ttl [R=303,END]",
        "RewriteCond %{ENV:FK_WANT} =406",
        "RewriteRule ^(dataset$|(id|def|eli|graph)/) - [R=406,END]",
        "RewriteCond %{ENV:FK_WANT} =html",
        "RewriteRule ^dataset$ dataset.%{ENV:FK_FILE} "
        "[E=FK_NEG:1,E=FK_DATASET:1,E=FK_LOCATION:/dataset?format=html&lang=%{ENV:FK_LANG},END]",
        "RewriteCond %{REQUEST_FILENAME}.%{ENV:FK_FILE} -f",
        "RewriteRule ^dataset$ dataset.%{ENV:FK_FILE} "
        "[E=FK_NEG:1,E=FK_DATASET:1,E=FK_LOCATION:/dataset?format=%{ENV:FK_WANT},END]",
        "RewriteRule ^(dataset|index|query|ontology|programs|dashboards)\\.[a-z]+\\.html$|^_server/|^\\.ht - [R=404,END]",
        "# the resources: /def/ is the ontology document",
        "RewriteRule ^def/$ def/index.%{ENV:FK_FILE} [E=FK_RES:/def/index,E=FK_NEG:1,"
        "E=FK_LOCATION:/def/index%{ENV:FK_LOC},END]",
    ]
    for (area, exts), var in zip(AREAS, ("FK_RES", "FK_GRAPH"), strict=True):
        alt = "|".join(exts)
        lines += [
            f'RewriteRule "^(({area})/.+)\\.({alt})$" - [E={var}:/$1,END]',
            "RewriteCond %{REQUEST_FILENAME} ^(.*)\\.html$",
            "RewriteCond %1.%{ENV:FK_LANG}.html -f",
            f'RewriteRule "^(({area})/.+)\\.html$" $1.%{{ENV:FK_LANG}}.html '
            f"[E={var}:/$1,E=FK_LANGV:1,E=FK_LOCATION:/$1.html?lang=%{{ENV:FK_LANG}},END]",
            "RewriteCond %{REQUEST_FILENAME}.%{ENV:FK_FILE} -f",
            f'RewriteRule "^(({area})/.+)$" $1.%{{ENV:FK_FILE}} '
            f"[E={var}:/$1,E=FK_NEG:1,E=FK_LOCATION:/$1%{{ENV:FK_LOC}},END]",
        ]
    lines += ["RewriteRule ^(id|def|eli|graph)/ - [R=404,END]"]
    if not site.endpoint.startswith((site.host, site.base)):
        lines += [f"RewriteRule ^sparql$ {site.endpoint} [R=307,QSA,END]"]
    return "\n".join(lines) + "\n"


def apache_standalone(out: str, listen: str, folder: str, user: str | None = None) -> str:
    """A whole Apache configuration (``apache2 -f … -DFOREGROUND``) serving the publication ``out``
    with its ``.htaccess`` on ``listen``, its pid and log in ``folder``: to try the site locally."""
    modules = "/usr/lib/apache2/modules"
    loads = "\n".join(
        f"LoadModule {m}_module {modules}/mod_{m}.so"
        for m in ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers")
    )
    run_as = f"User {user}\nGroup {user}\n" if user else ""
    return f"""ServerRoot "{folder}"
ServerName localhost
Listen {listen}
PidFile {folder}/httpd.pid
ErrorLog {folder}/error.log
LogLevel warn
{loads}
{run_as}TypesConfig /etc/mime.types
DocumentRoot "{out}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{out}">
    AllowOverride All
    Require all granted
</Directory>
"""


# ------------------------------------------------------------------ w3id.org
def w3id_htaccess(site: Site) -> str:
    """The ``.htaccess`` of the base's folder in the w3id.org repository (github.com/perma-id/w3id.org)."""
    parts = urlsplit(site.base)
    folder = parts.path.strip("/")
    host = site.host
    lines = [
        f"# {site.base} -> {host}",
        f"# For the w3id.org repository: this file is {folder}/.htaccess there (a pull request to",
        "# https://github.com/perma-id/w3id.org). Generated by `fukushi-kg publish`.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "Header always set Vary Accept",
        "",
        "# resource IRIs name things: 303 to the representation Accept asks for (the first type it names)",
    ]
    if parts.netloc != "w3id.org":
        lines.insert(1, f"# Note: the base is not under w3id.org ({parts.netloc}); serve these rules on that host.")
    for rx, ext in ACCEPT_RULES:
        if rx.startswith(r"^\s*") and ext != "html":
            lines += [
                f'RewriteCond %{{HTTP_ACCEPT}} "{rx}" [NC]',
                f"RewriteRule ^((id|def|eli|graph)/.+)$ {host}$1.{ext} [R=303,L]",
            ]
    lines += [
        "RewriteRule ^def/?$ " + host + "def/index [R=303,L]",
        f"RewriteRule ^((id|def|eli|graph)/.+)$ {host}$1 [R=303,L]",
        "",
        "# everything else (pages, dataset, dumps, sources, the SPARQL endpoint's URL): the same path",
        *([f"RewriteRule ^sparql$ {site.endpoint} [R=307,L]"] if not site.endpoint.startswith(site.base) else []),
        f"RewriteRule ^(.*)$ {host}$1 [R=302,L]",
    ]
    return "\n".join(lines) + "\n"


def files(site: Site, root: str) -> dict[str, str]:
    """Relative path -> text of every configuration file a publication holds."""
    return {
        "_server/nginx-http.conf": nginx_http(),
        "_server/nginx-locations.conf": nginx_locations(site),
        "_server/nginx.conf": nginx_server(site, root),
        ".htaccess": apache_htaccess(site),
        "_server/w3id.htaccess": w3id_htaccess(site),
    }
