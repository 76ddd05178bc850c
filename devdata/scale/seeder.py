"""The seeder: runs each part of the synthetic data in order."""

import random
import time

from django.core.management.base import CommandError

from cadres.models import (
    Body,
    Field,
    Topic,
)
from devdata.scale.communication import CommunicationSeeding
from devdata.scale.forums import ForumSeeding
from devdata.scale.people import PeopleSeeding
from devdata.scale.proposals import ProposalSeeding
from devdata.scale.territory import Territory
from devdata.scale.trainings import TrainingSeeding


class Seeder(PeopleSeeding, ForumSeeding, ProposalSeeding, TrainingSeeding, CommunicationSeeding):
    """Seeds the whole country in order; each part of the data is a module of its own."""

    def __init__(self, *, seed, sizes, writer, stdout):
        self.seed = seed
        self.sizes = sizes
        self.writer = writer
        self.stdout = stdout
        self.now = time.time()
        self.territory = Territory()
        if not self.territory.kelurahan_codes:
            raise CommandError("The region table holds no active desa/kelurahan to seed.")

    def rng(self, purpose):
        """One generator per purpose: a change in one step leaves the others' data alone."""
        return random.Random(f"{self.seed}:{purpose}")

    def run(self):
        self.bodies = list(Body.objects.active().values_list("pk", "name"))
        self.field_ids = dict(Field.objects.active().values_list("name", "pk"))
        self.topic_ids = list(Topic.objects.active().values_list("pk", flat=True))
        if not self.bodies or not self.field_ids or not self.topic_ids:
            raise CommandError("The lists of bodies, fields and topics are empty: migrate first.")
        self.seed_officials()
        self.seed_cadres()
        self.seed_forums()
        self.seed_cadre_roles_and_events()
        self.seed_proposals()
        self.seed_innovations()
        self.seed_trainings()
        self.seed_signups()
        self.seed_communication()
