/** Italian names, streets and places for the demo office. All people are invented. */

export const MALE_NAMES = [
  'Leonardo', 'Francesco', 'Alessandro', 'Lorenzo', 'Mattia', 'Tommaso', 'Gabriele', 'Andrea', 'Riccardo', 'Edoardo',
  'Matteo', 'Giuseppe', 'Nicolò', 'Antonio', 'Federico', 'Diego', 'Davide', 'Giovanni', 'Pietro', 'Samuele',
  'Christian', 'Filippo', 'Marco', 'Luca', 'Michele', 'Emanuele', 'Alessio', 'Simone', 'Giulio', 'Elia',
  'Daniele', 'Vincenzo', 'Salvatore', 'Gioele', 'Jacopo', 'Stefano', 'Cristian', 'Enea', 'Manuel', 'Achille',
];

export const FEMALE_NAMES = [
  'Sofia', 'Giulia', 'Aurora', 'Alice', 'Ginevra', 'Emma', 'Giorgia', 'Greta', 'Beatrice', 'Anna',
  'Martina', 'Chiara', 'Vittoria', 'Matilde', 'Ludovica', 'Sara', 'Nicole', 'Gaia', 'Noemi', 'Arianna',
  'Francesca', 'Rebecca', 'Elisa', 'Camilla', 'Bianca', 'Viola', 'Marta', 'Elena', 'Maria', 'Caterina',
  'Irene', 'Adele', 'Carlotta', 'Benedetta', 'Rachele', 'Asia', 'Mia', 'Eleonora', 'Azzurra', 'Cecilia',
];

export const ADULT_MALE_NAMES = [
  'Marco', 'Andrea', 'Luca', 'Alessandro', 'Stefano', 'Davide', 'Paolo', 'Roberto', 'Massimo', 'Fabio',
  'Simone', 'Matteo', 'Daniele', 'Giuseppe', 'Antonio', 'Francesco', 'Mauro', 'Claudio', 'Giovanni', 'Alberto',
  'Emanuele', 'Fabrizio', 'Cristian', 'Nicola', 'Michele', 'Riccardo', 'Gianluca', 'Enrico', 'Maurizio', 'Diego',
];

export const ADULT_FEMALE_NAMES = [
  'Francesca', 'Chiara', 'Sara', 'Valentina', 'Silvia', 'Elena', 'Laura', 'Federica', 'Paola', 'Alessandra',
  'Martina', 'Giulia', 'Roberta', 'Monica', 'Elisa', 'Barbara', 'Simona', 'Cristina', 'Daniela', 'Serena',
  'Michela', 'Stefania', 'Claudia', 'Manuela', 'Ilaria', 'Veronica', 'Anna', 'Marta', 'Erika', 'Lucia',
];

/** Surnames common in the Bergamo valleys (Clusone) */
export const NORTH_SURNAMES = [
  'Rossi', 'Ferrari', 'Bianchi', 'Colombo', 'Bonetti', 'Pezzoli', 'Fornoni', 'Balduzzi', 'Trussardi', 'Savoldelli',
  'Bonomi', 'Pasinetti', 'Olmo', 'Tomasoni', 'Zanoletti', 'Ghilardi', 'Bettoni', 'Fiorina', 'Percassi', 'Giudici',
  'Messa', 'Canova', 'Visini', 'Scandella', 'Ranza', 'Caccia', 'Oprandi', 'Morstabilini', 'Rota', 'Locatelli',
  'Pedrini', 'Belotti', 'Cortinovis', 'Carrara', 'Gusmini', 'Mazzoleni', 'Ravasio', 'Pellicioli', 'Milesi', 'Gervasoni',
];

/** Surnames common in southern Lazio (Cassino) */
export const SOUTH_SURNAMES = [
  'Russo', 'Esposito', 'Romano', 'Di Mambro', 'Capraro', 'Di Nallo', 'Forte', 'Marrocco', 'Iannarelli', 'Pittiglio',
  'Fargnoli', 'Ottaviano', 'Tomassi', 'Mancini', 'Di Sotto', 'Petrucci', 'Caramanica', 'Palombo', 'Valente', 'Cerrito',
  'Sarracino', 'Mattei', 'Lanni', 'Grossi', 'De Vito', 'Salera', 'Pagano', 'D\'Aliesio', 'Terrezza', 'Di Zazzo',
  'Evangelista', 'Carnevale', 'Mignanelli', 'Fionda', 'Abbate', 'Colella', 'Pontone', 'Di Ruzza', 'Tanzilli', 'Greco',
];

/** Foreign-born families (Belfiore codes of the country) and their surnames. */
export const FOREIGN_FAMILIES = [
  { belfiore: 'Z129', surnames: ['Popescu', 'Ionescu', 'Dumitru', 'Stan'] }, // Romania
  { belfiore: 'Z100', surnames: ['Hoxha', 'Shehu', 'Kola', 'Gjoka'] }, // Albania
  { belfiore: 'Z330', surnames: ['El Amrani', 'Benali', 'Bennani', 'Tazi'] }, // Marocco
];

/** Belfiore (cadastral) codes of birth places. */
export const PLACES = {
  clusone: 'C800',
  bergamo: 'A794',
  milano: 'F205',
  cassino: 'C034',
  frosinone: 'D810',
  roma: 'H501',
  napoli: 'F839',
};

export const CLUSONE_STREETS = [
  'Via Vittorio Veneto', 'Via Roma', 'Via Gusmini', 'Viale Europa', 'Via Sant\'Alessandro', 'Via Dante', 'Via Mazzini',
  'Via De Gasperi', 'Via Verdi', 'Via San Lucio', 'Via Carpinoni', 'Via Brescia', 'Via Fantoni', 'Via Pastore',
];

export const CASSINO_STREETS = [
  'Corso della Repubblica', 'Via Di Biasio', 'Via Garigliano', 'Via Casilina Nord', 'Viale Dante', 'Via Verdi',
  'Via Arigni', 'Via San Marco', 'Via Sferracavalli', 'Via Cerro Antico', 'Piazza Diamare', 'Via Marconi',
];

/** ABI codes of Italian banks (Intesa Sanpaolo, UniCredit, Banco BPM, BPER, Credit Agricole, a BCC, Poste). */
export const BANK_ABI = ['03069', '02008', '05034', '05387', '06230', '08940', '07601'];

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];
