"""A WSGI application for tests/test_gunicorn.py: the directory's own, except that a download
fails after its first chunks, as when the database goes away mid-way."""

from directory.wsgi import application as directory


def application(environ, start_response):
    body = directory(environ, start_response)
    if "format=csv" not in environ.get("QUERY_STRING", ""):
        return body

    def failing():
        for sent, chunk in enumerate(body):
            if sent == 3:
                raise ConnectionError("the database went away")
            yield chunk

    return failing()
