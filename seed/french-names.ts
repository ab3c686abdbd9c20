// French surnames and word stock for people and company names.

export const SURNAMES: readonly string[] = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
  'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
  'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Legrand', 'Garnier', 'Faure',
  'Rousseau', 'Blanc', 'Guérin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément',
  'Gauthier', 'Dumont', 'Fontaine', 'Chevalier', 'Robin', 'Masson', 'Gérard', 'Boyer', 'Denis', 'Lemaire', 'Duval',
  'Joly', 'Roche', 'Noël', 'Meyer', 'Lucas', 'Meunier', 'Marchand', 'Dufour', 'Blanchard', 'Barbier', 'Brun',
  'Dumas', 'Brunet', 'Schmitt', 'Leroux', 'Colin', 'Renard', 'Arnaud', 'Rolland', 'Caron', 'Aubert', 'Giraud',
  'Leclerc', 'Vidal', 'Bourgeois', 'Renaud', 'Lemoine', 'Picard', 'Gaillard', 'Lacroix', 'Fabre', 'Dupuis',
  'Olivier', 'Hubert', 'Guillot', 'Rivière', 'Le Gall', 'Guillaume', 'Moulin', 'Berger', 'Lecomte', 'Ménard',
  'Fleury', 'Deschamps', 'Carpentier', 'Benoît', 'Maillard', 'Marchal', 'Aubry', 'Vasseur', 'Le Roux', 'Renault',
  'Jacquet', 'Collet', 'Prévost', 'Poirier', 'Charpentier', 'Royer', 'Huet', 'Baron', 'Dupuy', 'Pons', 'Carré',
  'Breton', 'Rémy', 'Schneider', 'Perrot', 'Guyot', 'Marty', 'Cousin', 'Le Goff', 'Kerbrat', 'Riou', 'Tanguy',
  'Bouvier', 'Chauvin', 'Laborde', 'Etcheverry', 'Castagné', 'Peyrot', 'Mazet', 'Rossi', 'Santoni', 'Bianchi',
]

/** Brand-like names ("Novatec", "Axelis"): a prefix and a suffix. */
export const BRAND_PREFIXES: readonly string[] = [
  'Nova', 'Axe', 'Techni', 'Agri', 'Medi', 'Logi', 'Euro', 'Alti', 'Vert', 'Océa', 'Proxi', 'Inno', 'Bati', 'Atlan',
  'Sud', 'Arvi', 'Helio', 'Mecha', 'Soli', 'Dyna', 'Iso', 'Lumi', 'Opti', 'Poly', 'Sigma', 'Terra', 'Valo', 'Cap',
]
export const BRAND_SUFFIXES: readonly string[] = [
  'tec', 'lis', 'med', 'go', 'via', 'sys', 'pro', 'ance', 'ia', 'val', 'com', 'nor', 'plus', 'line', 'gie', 'ris',
  'tis', 'dis', 'flow', 'log', 'vision', 'nergie',
]

/** Geographic names for "Laboratoires du Rhône", "Vignobles de Provence", by region. */
export const PLACES_BY_REGION: Record<string, readonly string[]> = {
  'Île-de-France': ["d'Île-de-France", 'de la Seine', 'du Val de Seine', 'de la Brie'],
  'Hauts-de-France': ['du Nord', 'des Flandres', 'de Picardie', "de l'Artois"],
  'Grand Est': ["d'Alsace", 'de Lorraine', 'de Champagne', 'des Vosges'],
  'Centre-Val de Loire': ['du Centre', 'de la Loire', 'de Touraine', 'du Berry'],
  Bretagne: ['de Bretagne', "d'Armor", 'du Finistère', 'du Morbihan'],
  'Pays de la Loire': ["de l'Atlantique", 'de la Loire', 'de Vendée', "d'Anjou"],
  'Nouvelle-Aquitaine': ['du Sud-Ouest', "d'Aquitaine", 'de Gascogne', 'du Limousin', 'des Charentes'],
  Normandie: ['de Normandie', 'du Cotentin', 'du Pays de Caux', 'de la Manche'],
  'Auvergne-Rhône-Alpes': ['du Rhône', 'des Alpes', "d'Auvergne", 'du Dauphiné', 'de Savoie'],
  "Provence-Alpes-Côte d'Azur": ['de Provence', 'du Littoral', "de la Côte d'Azur", 'du Var'],
  Occitanie: ["d'Occitanie", 'du Languedoc', 'des Pyrénées', 'du Midi'],
  'Bourgogne-Franche-Comté': ['de Bourgogne', 'de Franche-Comté', 'du Jura', 'du Morvan'],
  Corse: ['de Corse', "de l'Île de Beauté"],
}

/** First names of the demo's contacts, with the civility that goes with them. */
export const FIRST_NAMES: readonly (readonly [string, 'M.' | 'Mme'])[] = [
  ['Marie', 'Mme'], ['Nathalie', 'Mme'], ['Isabelle', 'Mme'], ['Sylvie', 'Mme'], ['Catherine', 'Mme'], ['Sophie', 'Mme'],
  ['Christine', 'Mme'], ['Valérie', 'Mme'], ['Sandrine', 'Mme'], ['Céline', 'Mme'], ['Aurélie', 'Mme'], ['Émilie', 'Mme'],
  ['Julie', 'Mme'], ['Camille', 'Mme'], ['Laura', 'Mme'], ['Manon', 'Mme'], ['Chloé', 'Mme'], ['Léa', 'Mme'], ['Hélène', 'Mme'],
  ['Anne', 'Mme'], ['Claire', 'Mme'], ['Élodie', 'Mme'], ['Karine', 'Mme'], ['Virginie', 'Mme'], ['Inès', 'Mme'], ['Sarah', 'Mme'],
  ['Jean', 'M.'], ['Philippe', 'M.'], ['Michel', 'M.'], ['Alain', 'M.'], ['Nicolas', 'M.'], ['Christophe', 'M.'], ['Pierre', 'M.'],
  ['Stéphane', 'M.'], ['Sébastien', 'M.'], ['Julien', 'M.'], ['Laurent', 'M.'], ['Olivier', 'M.'], ['Thomas', 'M.'], ['David', 'M.'],
  ['Frédéric', 'M.'], ['Éric', 'M.'], ['Guillaume', 'M.'], ['Vincent', 'M.'], ['Antoine', 'M.'], ['Maxime', 'M.'], ['Alexandre', 'M.'],
  ['Hugo', 'M.'], ['Lucas', 'M.'], ['Mathieu', 'M.'], ['François', 'M.'], ['Jérôme', 'M.'], ['Karim', 'M.'], ['Yannick', 'M.'],
]
