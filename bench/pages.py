"""Foundation pages under load: the start page and a course page, against /healthz in the same run."""

from common import login_cookie, measure_get, p95, report, server, trivial_p95


def main():
    with server() as srv:
        trivial = trivial_p95(srv)
        report("healthz_p95", trivial, "ms", trivial)
        cookie = {"Cookie": login_cookie(srv, "facilitator")}
        measure_get(srv, "/", requests=20, headers=cookie)
        report("start_page_p95", p95(measure_get(srv, "/", headers=cookie)), "ms", trivial)
        report("course_page_p95", p95(measure_get(srv, "/forloeb/1/", headers=cookie)), "ms", trivial)


if __name__ == "__main__":
    main()
