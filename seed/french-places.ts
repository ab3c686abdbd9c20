// Real French cities with their postal code and region, weighted roughly by how many
// businesses a sales team meets there. The three demo teams split the regions.

export type TeamKey = 'idf' | 'ouest' | 'sud-est'

export const TEAM_REGIONS: Record<TeamKey, readonly string[]> = {
  idf: ['Île-de-France', 'Hauts-de-France', 'Grand Est', 'Centre-Val de Loire'],
  ouest: ['Bretagne', 'Pays de la Loire', 'Nouvelle-Aquitaine', 'Normandie'],
  'sud-est': ['Auvergne-Rhône-Alpes', "Provence-Alpes-Côte d'Azur", 'Occitanie', 'Bourgogne-Franche-Comté', 'Corse'],
}

export type City = { name: string; postalCode: string; region: string; weight: number }

const c = (name: string, postalCode: string, region: string, weight = 1): City => ({ name, postalCode, region, weight })

const IDF = 'Île-de-France'
const HDF = 'Hauts-de-France'
const GE = 'Grand Est'
const CVL = 'Centre-Val de Loire'
const BRE = 'Bretagne'
const PDL = 'Pays de la Loire'
const NA = 'Nouvelle-Aquitaine'
const NOR = 'Normandie'
const ARA = 'Auvergne-Rhône-Alpes'
const PACA = "Provence-Alpes-Côte d'Azur"
const OCC = 'Occitanie'
const BFC = 'Bourgogne-Franche-Comté'
const COR = 'Corse'

export const CITIES: readonly City[] = [
  c('Paris', '75008', IDF, 10), c('Paris', '75002', IDF, 4), c('Paris', '75009', IDF, 4), c('Paris', '75011', IDF, 4),
  c('Paris', '75015', IDF, 4), c('Paris', '75012', IDF, 3), c('Boulogne-Billancourt', '92100', IDF, 3),
  c('Courbevoie', '92400', IDF, 3), c('Nanterre', '92000', IDF, 2), c('Issy-les-Moulineaux', '92130', IDF, 2),
  c('Saint-Denis', '93200', IDF, 2), c('Montreuil', '93100', IDF, 2), c('Noisy-le-Grand', '93160', IDF),
  c('Versailles', '78000', IDF), c('Créteil', '94000', IDF), c('Rungis', '94150', IDF), c('Massy', '91300', IDF),
  c('Évry-Courcouronnes', '91000', IDF), c('Cergy', '95000', IDF), c('Argenteuil', '95100', IDF),
  c('Lille', '59000', HDF, 3), c('Roubaix', '59100', HDF), c("Villeneuve-d'Ascq", '59650', HDF), c('Amiens', '80000', HDF),
  c('Dunkerque', '59140', HDF), c('Valenciennes', '59300', HDF), c('Beauvais', '60000', HDF), c('Arras', '62000', HDF),
  c('Strasbourg', '67000', GE, 2), c('Metz', '57000', GE), c('Nancy', '54000', GE), c('Reims', '51100', GE),
  c('Mulhouse', '68100', GE), c('Troyes', '10000', GE), c('Colmar', '68000', GE),
  c('Orléans', '45000', CVL), c('Tours', '37000', CVL), c('Bourges', '18000', CVL), c('Chartres', '28000', CVL),
  c('Rennes', '35000', BRE, 2), c('Brest', '29200', BRE), c('Quimper', '29000', BRE), c('Lorient', '56100', BRE),
  c('Vannes', '56000', BRE), c('Saint-Brieuc', '22000', BRE), c('Saint-Malo', '35400', BRE),
  c('Nantes', '44000', PDL, 3), c('Saint-Nazaire', '44600', PDL), c('Angers', '49000', PDL), c('Le Mans', '72000', PDL),
  c('Cholet', '49300', PDL), c('La Roche-sur-Yon', '85000', PDL), c('Laval', '53000', PDL),
  c('Bordeaux', '33000', NA, 3), c('Mérignac', '33700', NA), c('Pessac', '33600', NA), c('Limoges', '87000', NA),
  c('Poitiers', '86000', NA), c('La Rochelle', '17000', NA), c('Pau', '64000', NA), c('Bayonne', '64100', NA),
  c('Niort', '79000', NA), c('Angoulême', '16000', NA),
  c('Rouen', '76000', NOR, 2), c('Le Havre', '76600', NOR), c('Caen', '14000', NOR), c('Cherbourg-en-Cotentin', '50100', NOR),
  c('Évreux', '27000', NOR),
  c('Lyon', '69003', ARA, 4), c('Lyon', '69007', ARA, 2), c('Lyon', '69002', ARA, 2), c('Villeurbanne', '69100', ARA),
  c('Vénissieux', '69200', ARA), c('Grenoble', '38000', ARA, 2), c('Saint-Étienne', '42000', ARA),
  c('Clermont-Ferrand', '63000', ARA), c('Annecy', '74000', ARA), c('Chambéry', '73000', ARA), c('Valence', '26000', ARA),
  c('Bourg-en-Bresse', '01000', ARA),
  c('Marseille', '13008', PACA, 2), c('Marseille', '13002', PACA, 2), c('Aix-en-Provence', '13100', PACA, 2),
  c('Vitrolles', '13127', PACA), c('Nice', '06000', PACA, 2), c('Cannes', '06400', PACA), c('Valbonne', '06560', PACA),
  c('Toulon', '83000', PACA), c('Avignon', '84000', PACA),
  c('Toulouse', '31000', OCC, 3), c('Blagnac', '31700', OCC), c('Labège', '31670', OCC), c('Montpellier', '34000', OCC, 2),
  c('Nîmes', '30000', OCC), c('Perpignan', '66000', OCC), c('Béziers', '34500', OCC), c('Albi', '81000', OCC),
  c('Dijon', '21000', BFC, 2), c('Besançon', '25000', BFC), c('Chalon-sur-Saône', '71100', BFC), c('Belfort', '90000', BFC),
  c('Auxerre', '89000', BFC),
  c('Ajaccio', '20000', COR), c('Bastia', '20200', COR),
]

export const teamOfRegion = (region: string): TeamKey =>
  (Object.keys(TEAM_REGIONS) as TeamKey[]).find((t) => TEAM_REGIONS[t].includes(region))!

export const STREETS: readonly string[] = [
  'rue de la République', 'avenue Victor Hugo', 'rue Jean Jaurès', 'boulevard du Général de Gaulle', 'rue Pasteur',
  'rue des Lilas', 'avenue de la Gare', 'rue Gambetta', 'boulevard Voltaire', 'rue Émile Zola', 'rue du Commerce',
  'rue des Écoles', 'avenue de Verdun', 'rue Jean Moulin', "rue de l'Industrie", 'allée des Artisans', 'quai du Port',
  'place de la Mairie', 'rue Nationale', 'avenue Foch', 'rue du Faubourg', 'chemin des Vignes', 'rue Carnot',
  'avenue des Champs', 'rue de Paris', 'boulevard Haussmann', 'rue Saint-Honoré', 'cours Lafayette', 'rue Thiers',
  'avenue Jean Monnet', 'rue Marcel Dassault', 'impasse des Tilleuls', 'rue Ampère', 'rue Lavoisier', 'avenue Pierre Curie',
]

export const BUSINESS_PARKS: readonly string[] = [
  'ZI des Paluds', 'ZA du Moulin', "Parc d'activités des Bruyères", 'ZI Nord', 'ZAC de la Croix Blanche',
  'Parc technologique', 'ZA des Landes', 'ZI du Port', "Parc d'activités de la Vallée", 'ZA Les Portes du Sud',
]
