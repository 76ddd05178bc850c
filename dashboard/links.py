"""Where each figure of a dashboard leads: the list behind it, with its filters set.

Kecamatan and kelurahan rows open the lists of the other apps filtered to the row's region;
kota rows (province dashboard) open the city dashboard of that kota, whose rows lead on.
The total row has no links: the lists cannot be filtered to a kota.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings

from cadres.models import CadreProfile
from forkom.paths import path_of, path_to
from forkom.territory.codes import subtree_prefix
from forkom.territory.models import Region

Level = Region.Level
Status = CadreProfile.Status


@dataclass
class Cell:
    """A figure and where it leads ("" for nowhere)."""

    value: object
    url: str = ""
    label: str = ""


@dataclass
class RowLinks:
    area: str = ""
    forum: str = ""
    verified: str = ""
    waiting: str = ""
    recommended: str = ""
    escalated: str = ""
    trainings: str = ""
    states: list = field(default_factory=list)
    bodies: list = field(default_factory=list)


@dataclass
class CrossTable:
    """One figure per row and column (proposals per state, cadres per body): each row's
    name with its cells, and the total row's cells, which also give the column labels."""

    rows: list
    total: list


def _url(name, **query):
    return f"{path_of(name)}?{urlencode(query)}"


def _row_links(row, board, city_code):
    if row.level == Level.KABUPATEN_KOTA:
        city = path_to("dashboard:city", row.code)
        if board.period is not None:  # the kota's dashboard reads the same period
            city += "?" + board.period.query
        return RowLinks(
            area=city,
            forum=city + "#figures",
            verified=city + "#figures",
            waiting=city + "#figures",
            recommended=city + "#queue",
            escalated=city + "#states",
            trainings=city + "#figures",
            states=[
                Cell(count, city + "#states", str(state.label))
                for state, count in row.state_counts()
            ],
            bodies=[
                Cell(count, city + "#bodies", body.name)
                for body, count in row.body_counts(board.bodies)
            ],
        )
    # The lists of cadres and proposals filter by kecamatan or by kelurahan.
    where = {"kecamatan" if row.level == Level.KECAMATAN else "kelurahan": row.code}
    links = RowLinks(
        forum=path_to("forums:manage", row.code),
        verified=_url("cadres:list", status=Status.VERIFIED, **where),
        waiting=_url("cadres:list", status=Status.WAITING, **where),
        recommended=_url("programs:list", state="recommended", **where),
        escalated=_url("programs:list", state="escalated", **where),
        states=[
            Cell(count, _url("programs:list", state=state, **where), str(state.label))
            for state, count in row.state_counts()
        ],
        bodies=[
            Cell(
                count,
                _url("cadres:list", status=Status.VERIFIED, body=body.pk, **where),
                body.name,
            )
            for body, count in row.body_counts(board.bodies)
        ],
    )
    if row.level == Level.KECAMATAN:
        links.area = path_to("dashboard:city_kecamatan", city_code, row.code)
        if board.period is not None:  # the drill-down reads the same period
            links.area += "?" + board.period.query
        # The catalogue filters by the kecamatan of the home region only (trainings.forms).
        if row.code.startswith(subtree_prefix(settings.FORKOM_HOME_REGION)):
            links.trainings = _url("trainings:list", kecamatan=row.code)
    return links


def attach(board, city_code=None):
    """Gives every row of `board` its `links`, the total row its cells without links, and the
    board its two cross tables (`state_table`, `body_table`)."""
    for row in board.rows:
        row.links = _row_links(row, board, city_code)
    board.total.links = RowLinks(
        states=[Cell(count, "", str(state.label)) for state, count in board.total.state_counts()],
        bodies=[
            Cell(count, "", body.name) for body, count in board.total.body_counts(board.bodies)
        ],
    )
    board.state_table = CrossTable(
        [(row.name, row.links.states) for row in board.rows], board.total.links.states
    )
    board.body_table = CrossTable(
        [(row.name, row.links.bodies) for row in board.rows], board.total.links.bodies
    )
    return board
