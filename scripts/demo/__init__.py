"""Small demo data for `make run`, loaded through the gateway with each service's own API.

One module per service, run in this order by ``__main__`` (``python scripts/demo --gateway URL``):

* ``identity`` — the demo accounts (created by identity's development bootstrap admin);
* ``education`` — demo schools in Ulaanbaatar and Arkhangai, the current school year, a curriculum, classes (5А,
  5Б, a kindergarten group), ~30 learners with guardians enrolled from the year's first day, a timetable, an
  admission queue and transfers in both directions;
* ``hr`` — the demo teacher on the school's staff, teaching mathematics in 5А and 5Б, linked to teacher.demo,
  whose classes then come from hr's events through identity (the step waits until a sign-in shows them);
* ``parent`` — parent.demo claims the demo child through the parent portal's claim API (education verifies the
  claim over gRPC) and waits until identity has the child in the account's scope, so the parent sees the child at
  the first sign-in;
* ``synthetic`` — then a small synthetic country (``bench.synthetic``, scale ``ESIS_DEMO_SCALE``, default 0.001;
  0 skips it) through education's, hr's and identity's bulk paths, with the bench loaders' code; the last banner
  line says what it loaded and how long it took.

"Today" is ``esis_shared.clock.today`` (``make run`` sets ``ESIS_TODAY`` to the last school day when the real date
is not one). The runner prints one line per demo login and the steps to try (the supervisor shows them in its
banner). Everything is synthetic: names are common ones, register numbers follow the format with made-up
serials, phone numbers start with 00 (not a Mongolian number).
"""
