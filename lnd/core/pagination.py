"""One page of a listing, with what GOV.UK pagination needs."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from flask import request, url_for


@dataclass
class Page:
    items: list
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)

    def _url(self, number: int) -> str:
        args = dict(request.args)
        args["page"] = number
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    def govuk_params(self) -> dict:
        params: dict = {"items": []}
        if self.number > 1:
            params["previous"] = {"href": self._url(self.number - 1)}
        if self.number < self.pages:
            params["next"] = {"href": self._url(self.number + 1)}
        for n in range(1, self.pages + 1):
            if n in (1, self.pages) or abs(n - self.number) <= 2:
                params["items"].append({"number": n, "href": self._url(n), "current": n == self.number})
            elif params["items"] and not params["items"][-1].get("ellipsis"):
                params["items"].append({"ellipsis": True})
        return params
