"""A hello-world page for the HTTP benchmark: the floor every archive page is measured against.

Served only when ARCHIVE_BENCH_HELLO=1 (`config/urls.py`), through the same middleware as every
page, so its speed is the server's and the framework's alone.
"""

from django.http import HttpResponse


def hello(request):
    return HttpResponse("Hello, world\n", content_type="text/plain; charset=utf-8")
