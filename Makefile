# Two commands on a fresh Debian/Ubuntu machine:
#   make video   set up, train the default run, add its landscape, render every scene + the narrated chapter
#   make test    set up and run the tests
#   make slides  set up, train the default run, write the chapter as a slide deck (media/default/slides/)
# `make video RUN=assets/runs/mine.npz` renders every clip from another recording, into its own folder.

PY      := .venv/bin/python
STAMP   := .venv/.setup-done
RUN     ?= assets/runs/default.npz
QUALITY ?= -qm
JOBS    ?= 2
VOICE   ?= piper

.PHONY: setup test video slides run stills bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

test: setup
	$(PY) -m pytest

assets/runs/default.npz: | setup
	$(PY) -m nn train --out $@
	$(PY) -m nn landscape $@

assets/runs/memorisation/true.npz: | setup
	$(PY) -m nn group memorisation --out assets/runs/memorisation

assets/runs/seeds/seed0.npz: | setup
	$(PY) -m nn group seeds --out assets/runs/seeds

assets/runs/learning-rates/good.npz: | setup
	$(PY) -m nn group learning-rates --out assets/runs/learning-rates

GROUPS := assets/runs/memorisation/true.npz assets/runs/seeds/seed0.npz assets/runs/learning-rates/good.npz

run: assets/runs/default.npz $(GROUPS)

video: setup $(GROUPS) $(if $(filter assets/runs/default.npz,$(RUN)),assets/runs/default.npz)
	$(PY) -m scenes.render --run $(RUN) $(QUALITY) --jobs $(JOBS) --voice $(VOICE)

slides: setup $(GROUPS) $(if $(filter assets/runs/default.npz,$(RUN)),assets/runs/default.npz)
	$(PY) -m scenes.slides --run $(RUN) $(QUALITY) --jobs $(JOBS)

stills: setup assets/runs/default.npz $(GROUPS)
	$(PY) -m scenes.render --run assets/runs/default.npz -ql --voice none --stills assets/stills

bench: setup
	$(PY) bench/train_speed.py
	$(PY) bench/landscape_speed.py
	$(PY) bench/render_speed.py

clean:
	rm -rf media assets/runs/*.npz assets/runs/memorisation assets/runs/seeds assets/runs/learning-rates
