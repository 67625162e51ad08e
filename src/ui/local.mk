# src/ui/local.mk -- the ui layer: canvas, backends, themes, keymap, views.
src_libpilothouse_a_SOURCES += \
	%reldir%/backend.c %reldir%/backend.h \
	%reldir%/backend_ncurses.c \
	%reldir%/backend_text.c \
	%reldir%/canvas.c %reldir%/canvas.h \
	%reldir%/console.c %reldir%/console.h %reldir%/console_int.h \
	%reldir%/draw.c %reldir%/draw.h \
	%reldir%/evcache.c %reldir%/evcache.h \
	%reldir%/grid_state.c %reldir%/grid_state.h \
	%reldir%/key.c %reldir%/key.h \
	%reldir%/keymap.c %reldir%/keymap.h \
	%reldir%/layout.c %reldir%/layout.h \
	%reldir%/pane.c %reldir%/pane.h \
	%reldir%/pane_approvals.c \
	%reldir%/pane_card.c \
	%reldir%/pane_confirm.c \
	%reldir%/pane_files.c \
	%reldir%/pane_fleet.c \
	%reldir%/pane_grid.c \
	%reldir%/pane_help.c %reldir%/pane_help.h \
	%reldir%/pane_prompt.c %reldir%/pane_prompt.h \
	%reldir%/pane_replay.c \
	%reldir%/pane_session.c \
	%reldir%/pane_text.c \
	%reldir%/theme.c %reldir%/theme.h \
	%reldir%/timeline.c %reldir%/timeline.h \
	%reldir%/ui.c %reldir%/ui.h \
	%reldir%/width.c %reldir%/width.h %reldir%/width_table.h

# The tickit backend: whole file, only when configure found libtickit.
if HAVE_TICKIT
src_libpilothouse_a_SOURCES += %reldir%/backend_tickit.c
endif

EXTRA_DIST += contrib/gen-width-table

# Themes are shipped data (paths_shipped_dir()/themes).
themesdir = $(pkgdatadir)/themes
dist_themes_DATA = \
	themes/default.theme themes/high-contrast.theme themes/light.theme \
	themes/mono.theme themes/solarized-dark.theme
