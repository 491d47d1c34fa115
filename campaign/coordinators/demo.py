"""Fictional demo data for the coordinator module (`campaign demo`): every name, address and organisation below is
invented, and the texts say so. Loaded once; running the demo again changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from campaign.core.audit import Actor
from campaign.core.models import Municipality, Organisation, utcnow
from campaign.coordinators.models import (
    AnswerTemplate,
    Application,
    Article,
    ChecklistItem,
    Completion,
    Enrolment,
    Question,
    RecruitmentTarget,
    TrainingModule,
    TrainingSession,
)
from campaign.coordinators.pipeline import SELF_SERVICE, missing_required_modules, path_to, set_status
from campaign.extensions import db

ACTOR = Actor.system("campaign demo")
FICTIONAL = "(fictief)"

ORGANISATIONS = (
    ("Muziekschool De Notenbalk", "music_school", True, "GM0344"),
    ("Kunstcentrum Het Atelier", "arts_centre", True, "GM0855"),
    ("Volksuniversiteit Aan de Maas", "folk_university", True, "GM0935"),
    ("Centrum voor de Kunsten Eindhoven-Zuid", "arts_centre", True, "GM0772"),
    ("Cultuurnetwerk Brabant-Midden", "support_organisation", True, "GM0796"),
    ("Bibliotheek De Boekenbrug", "partner", False, "GM0014"),
    ("Poppodium De Versterker", "partner", False, "GM0193"),
)

MODULES = (
    ("Lokaal lobbyen", True, "Je kent de lokale partijen en weet hoe je cultuuronderwijs op hun agenda zet.",
     "Handreiking lokaal lobbyen | https://example.org/demo/lobbyen\nVoorbeeldbrief aan een fractie"),
    ("Een debat organiseren", True, "Je organiseert een debat over kunst- en cultuureducatie in een zaal van een lid.",
     "Draaiboek debat | https://example.org/demo/debat"),
    ("De Cultuurwijzer uitleggen", True, "Je legt uit hoe de Cultuurwijzer werkt en hoe de match wordt berekend.",
     "Uitleg van de methode | /cultuurwijzer/methode"),
    ("Pers en sociale media", False, "Je schrijft een persbericht en deelt de campagne online.",
     "Persberichtsjabloon"),
)

CHECKLIST = (
    ("Maak kennis met de lokale leden", "Bel of bezoek de muziekschool, het kunstcentrum en de volksuniversiteit."),
    ("Breng de lokale partijen in kaart", "Wie gaat over cultuur en onderwijs in elke fractie?"),
    ("Volg de verplichte trainingen", ""),
    ("Deel de Cultuurwijzer van je gemeente", "Bij de leden, in de lokale krant en online."),
    ("Plan een debat over kunst- en cultuureducatie", "Zoek een zaal bij een lid en nodig alle lijsttrekkers uit."),
    ("Stuur na de verkiezingen een felicitatie met onze punten", ""),
)

ARTICLES = (
    ("Wat doet een cultuurcoördinator?", "public", "Rol",
     "Een cultuurcoördinator kent de lokale partijen, brengt de Cultuurwijzer onder de aandacht en organiseert een "
     "debat. Dit is een demotekst (fictief)."),
    ("Hoeveel tijd kost het?", "public", "Rol",
     "Reken op een paar uur per week in de maanden voor de verkiezingen. Dit is een demotekst (fictief)."),
    ("Hoe werkt de match van de Cultuurwijzer?", "public", "Cultuurwijzer",
     "Per stelling vergelijken we jouw antwoord met de positie van elke partij; zie de methodepagina. "
     "Dit is een demotekst (fictief)."),
    ("Welke zaal kan ik gebruiken voor een debat?", "coordinators", "Debat",
     "Leden stellen hun zalen open; vraag het campagneteam naar de zalen in jouw gemeente. Dit is een demotekst "
     "(fictief)."),
    ("Mag ik namens de branche met de pers praten?", "coordinators", "Pers",
     "Ja, over de lokale campagne; stem landelijke uitspraken af met het campagneteam. Dit is een demotekst "
     "(fictief)."),
)

TEMPLATES = (
    ("Zaal zoeken", "Dank je voor je vraag. In jouw gemeente stellen deze leden een zaal beschikbaar: ..."),
    ("Materialen", "Alle materialen staan in je werkplek onder Materialen en in de kennisbank."),
)

# name, email, status, municipality codes, organisation index (or None)
PEOPLE = (
    ("Sanne de Vries", "sanne@demo.invalid", "verified", ("GM0599",), None),
    ("Youssef el Amrani", "youssef@demo.invalid", "in_conversation", ("GM0772",), 3),
    ("Iris Bakker", "iris@demo.invalid", "accepted", ("GM0855",), 1),
    ("Demo Coördinator", "coordinator@demo.invalid", "in_training", ("GM0344",), 0),
    ("Ruben Jansen", "ruben@demo.invalid", "active", ("GM0935",), 2),
    ("Mila Visser", "mila@demo.invalid", "active", ("GM0014",), None),
    ("Thijs Mulder", "thijs@demo.invalid", "rejected", ("GM0202",), None),
)


def walk_to(actor: Actor, application: Application, status: str, now: dt.datetime | None = None) -> None:
    """Move a new application along ``pipeline.path_to(status)`` with the effects of every move, as the
    person and the campaign team would have: the address verified by its owner, the required training
    completed before becoming active. For demo and test data; nobody is mailed."""
    for step in path_to(status):
        if step == "verified":
            application.verified_at = now or utcnow()
        if step == "active":
            db.session.add_all(Completion(application_id=application.id, module_id=module.id)
                               for module in missing_required_modules(application))
            db.session.flush()
        set_status(actor, application, step, by_staff=step not in SELF_SERVICE)


def load_demo(now: dt.datetime | None = None) -> bool:
    """Add the fictional coordinator demo data; False when it is there already."""
    if db.session.scalar(select(TrainingModule.id).limit(1)) is not None:
        return False
    now = now or utcnow()
    places = {m.code: m for m in db.session.scalars(select(Municipality))}
    organisations = [Organisation(name=f"{name} {FICTIONAL}", kind=kind, member=member,
                                  municipality=places.get(code)) for name, kind, member, code in ORGANISATIONS]
    db.session.add_all(organisations)
    modules = [TrainingModule(title=title, required=required, goals=goals, materials=materials, position=i)
               for i, (title, required, goals, materials) in enumerate(MODULES)]
    db.session.add_all(modules)
    for i, module in enumerate(modules):
        for week, mode in ((1, "online"), (3, "location")):
            starts = (now + dt.timedelta(days=7 * week + i)).replace(hour=18, minute=30, second=0, microsecond=0)
            db.session.add(TrainingSession(
                module=module, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), mode=mode,
                capacity=3 if week == 1 else 12, trainer="Trainer van het campagneteam (fictief)",
                location="https://example.org/demo/meeting" if mode == "online"
                else "Muziekschool De Notenbalk (fictief), Utrecht"))
    db.session.add_all(ChecklistItem(title=t, description=d, position=i) for i, (t, d) in enumerate(CHECKLIST))
    db.session.add_all(Article(title=t, audience=a, topic=topic, body=b) for t, a, topic, b in ARTICLES)
    db.session.add_all(AnswerTemplate(title=t, body=b) for t, b in TEMPLATES)
    db.session.add_all(RecruitmentTarget(province=p, target=n)
                       for p, n in (("Noord-Brabant", 3), ("Utrecht", 1), ("Zuid-Holland", 2), ("Limburg", 1)))
    db.session.flush()
    for name, email, status, codes, organisation in PEOPLE:
        application = Application(
            name=name, email=email, consent_version="demo", consent_at=now,
            organisation=organisations[organisation] if organisation is not None else None,
            motivation=f"Ik wil cultuuronderwijs op de lokale agenda zetten. {FICTIONAL}",
            availability="Twee avonden per week.", experience="Actief in het lokale culturele leven.",
            municipalities=[places[c] for c in codes if c in places])
        db.session.add(application)
        db.session.flush()
        walk_to(ACTOR, application, status, now)
        application.notified_status = application.status  # as if every move had been mailed
    demo_coordinator = db.session.scalar(select(Application).where(Application.email == "coordinator@demo.invalid"))
    first_session = modules[0].sessions[0]
    db.session.add(Enrolment(session=first_session, application=demo_coordinator))
    db.session.add(Completion(application_id=demo_coordinator.id, module_id=modules[2].id))
    db.session.add_all([
        Question(name="Demo Vrager (fictief)", email="vraag@demo.invalid", organisation=organisations[1],
                 from_member=True, subject="Zaal voor een debat", body="Kunnen wij onze zaal aanbieden?",
                 consent_version="demo", created_at=now - dt.timedelta(hours=3)),
        Question(name="Demo Bewoner (fictief)", email="bewoner@demo.invalid", subject="Wat is de Cultuurwijzer?",
                 body="Waar vind ik de Cultuurwijzer van mijn gemeente?", consent_version="demo",
                 created_at=now - dt.timedelta(days=1)),
    ])
    db.session.commit()
    return True
