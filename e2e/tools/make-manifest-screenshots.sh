#!/bin/sh
# Makes the two screenshots of the web app manifest (public/screenshots/): a phone
# (narrow, 540×1170) and a desktop (wide, 1280×720) picture of the app's frame, drawn
# from a static page so that no customer data can ever end up in them. Run again after a
# visual change of the frame: sh e2e/tools/make-manifest-screenshots.sh
set -e
cd "$(dirname "$0")/../.."
html=$(mktemp --suffix=.html)
cat > "$html" <<'HTML'
<!doctype html><html lang="fr"><meta charset="utf-8"><style>
body{margin:0;font:16px system-ui,sans-serif;background:#f8fafc;color:#0f172a}
header{background:#fff;border-bottom:1px solid #e2e8f0;padding:14px 18px;display:flex;gap:10px;align-items:center;font-weight:700}
.logo{width:28px;height:28px;border-radius:6px;background:#4338ca}
main{padding:18px;display:grid;gap:14px;grid-template-columns:repeat(auto-fill,minmax(240px,1fr))}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px}
.k{font-size:12px;text-transform:uppercase;color:#475569;letter-spacing:.05em}.v{font-size:26px;font-weight:700;margin-top:4px}
li{margin:8px 0}ul{padding-left:18px;margin:8px 0 0}
</style><header><span class="logo"></span>Alforis CRM</header><main>
<div class="card"><div class="k">Pipeline</div><div class="v">1 240 000 €</div></div>
<div class="card"><div class="k">Affaires gagnées ce mois</div><div class="v">12</div></div>
<div class="card"><div class="k">Mes tâches du jour</div><ul><li>Rappeler l’acheteur</li><li>Envoyer le devis</li><li>Rendez-vous à 14:30</li></ul></div>
<div class="card"><div class="k">Dernières activités</div><ul><li>Note — visite du site</li><li>Appel — relance devis</li></ul></div>
</main></html>
HTML
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=540,1170 --screenshot=public/screenshots/phone.png "file://$html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,720 --screenshot=public/screenshots/desktop.png "file://$html"
rm -f "$html"
