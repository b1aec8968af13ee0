package demo

// namePool holds invented-person name parts typical of one country.
// A surname written "Kowalski/Kowalska" has a male and a female form.
type namePool struct {
	female, male, surnames []string
	languages              []string // ISO 639-1, spoken by people of the pool
}

// namePools maps a CORDIS country code to its pool; countries without a
// pool of their own use another language's pool (poolAlias) or fallbackPool.
var namePools = map[string]namePool{
	"IT": {
		female:    []string{"Giulia", "Chiara", "Francesca", "Elena", "Sara", "Valentina", "Martina", "Alessandra", "Federica", "Silvia"},
		male:      []string{"Marco", "Luca", "Alessandro", "Matteo", "Davide", "Andrea", "Stefano", "Paolo", "Giorgio", "Simone"},
		surnames:  []string{"Rossi", "Bianchi", "Colombo", "Ferrari", "Esposito", "Ricci", "Marino", "Greco", "Conti", "Galli", "Moretti", "Barbieri", "Fontana", "Lombardi"},
		languages: []string{"it", "en"},
	},
	"DE": {
		female:    []string{"Anna", "Katharina", "Julia", "Laura", "Sabine", "Lena", "Miriam", "Stefanie", "Claudia", "Johanna"},
		male:      []string{"Thomas", "Michael", "Stefan", "Andreas", "Jan", "Tobias", "Florian", "Markus", "Matthias", "Sebastian"},
		surnames:  []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Braun", "Zimmermann"},
		languages: []string{"de", "en"},
	},
	"FR": {
		female:    []string{"Camille", "Claire", "Sophie", "Julie", "Élodie", "Marion", "Nathalie", "Isabelle", "Pauline", "Aurélie"},
		male:      []string{"Julien", "Nicolas", "Thomas", "Pierre", "Antoine", "Guillaume", "Mathieu", "Olivier", "Sébastien", "Laurent"},
		surnames:  []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Fournier"},
		languages: []string{"fr", "en"},
	},
	"ES": {
		female:    []string{"Lucía", "María", "Carmen", "Laura", "Marta", "Elena", "Paula", "Cristina", "Núria", "Ana"},
		male:      []string{"Javier", "Carlos", "David", "Daniel", "Alejandro", "Pablo", "Sergio", "Jordi", "Miguel", "Álvaro"},
		surnames:  []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Navarro", "Torres", "Vidal", "Serra"},
		languages: []string{"es", "en"},
	},
	"PT": {
		female:    []string{"Ana", "Beatriz", "Inês", "Mariana", "Sofia", "Catarina", "Joana", "Rita"},
		male:      []string{"João", "Pedro", "Tiago", "Miguel", "Rui", "Nuno", "Ricardo", "Bruno"},
		surnames:  []string{"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Almeida"},
		languages: []string{"pt", "en"},
	},
	"NL": {
		female:    []string{"Anouk", "Eva", "Sanne", "Lotte", "Femke", "Marieke", "Inge", "Iris"},
		male:      []string{"Daan", "Bram", "Thijs", "Jeroen", "Maarten", "Pieter", "Ruben", "Sander"},
		surnames:  []string{"de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Peeters", "Maes"},
		languages: []string{"nl", "en"},
	},
	"EN": {
		female:    []string{"Emma", "Sarah", "Rachel", "Hannah", "Laura", "Claire", "Emily", "Rebecca", "Siobhan", "Katherine"},
		male:      []string{"James", "Oliver", "Daniel", "Thomas", "William", "Matthew", "Robert", "Ciarán", "Andrew", "Jonathan"},
		surnames:  []string{"Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walsh", "Murphy", "Clarke", "Hughes", "Campbell", "Kelly", "Wright", "Patel"},
		languages: []string{"en"},
	},
	"EL": {
		female:    []string{"Maria", "Eleni", "Katerina", "Dimitra", "Sofia", "Georgia", "Ioanna", "Vasiliki"},
		male:      []string{"Georgios", "Dimitrios", "Konstantinos", "Ioannis", "Nikolaos", "Panagiotis", "Christos", "Vasileios"},
		surnames:  []string{"Papadopoulos/Papadopoulou", "Georgiou/Georgiou", "Nikolaidis/Nikolaidou", "Papadakis/Papadaki", "Konstantinou/Konstantinou", "Vlachos/Vlachou", "Oikonomou/Oikonomou", "Antoniou/Antoniou"},
		languages: []string{"el", "en"},
	},
	"SE": {
		female:    []string{"Anna", "Sara", "Emma", "Karin", "Maja", "Linnea", "Ingrid", "Elin"},
		male:      []string{"Erik", "Lars", "Johan", "Anders", "Oskar", "Henrik", "Magnus", "Fredrik"},
		surnames:  []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Lindqvist", "Berg"},
		languages: []string{"sv", "en"},
	},
	"DK": {
		female:    []string{"Mette", "Sofie", "Ida", "Camilla", "Louise", "Freja"},
		male:      []string{"Mads", "Rasmus", "Søren", "Mikkel", "Anders", "Jesper"},
		surnames:  []string{"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"},
		languages: []string{"da", "en"},
	},
	"NO": {
		female:    []string{"Ingrid", "Kari", "Silje", "Marit", "Ragnhild", "Hanne"},
		male:      []string{"Ole", "Knut", "Håkon", "Eirik", "Sindre", "Torbjørn"},
		surnames:  []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Berg", "Haugen", "Bakke"},
		languages: []string{"no", "en"},
	},
	"FI": {
		female:    []string{"Aino", "Laura", "Johanna", "Sanna", "Elina", "Riikka"},
		male:      []string{"Mikko", "Juha", "Antti", "Ville", "Janne", "Timo"},
		surnames:  []string{"Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen"},
		languages: []string{"fi", "en"},
	},
	"PL": {
		female:    []string{"Anna", "Katarzyna", "Magdalena", "Agnieszka", "Joanna", "Małgorzata"},
		male:      []string{"Piotr", "Tomasz", "Krzysztof", "Paweł", "Michał", "Marcin"},
		surnames:  []string{"Kowalski/Kowalska", "Nowak/Nowak", "Wiśniewski/Wiśniewska", "Wójcik/Wójcik", "Kamiński/Kamińska", "Lewandowski/Lewandowska", "Zieliński/Zielińska"},
		languages: []string{"pl", "en"},
	},
	"CZ": {
		female:    []string{"Jana", "Petra", "Lucie", "Tereza", "Kateřina", "Eva"},
		male:      []string{"Jan", "Petr", "Martin", "Tomáš", "Jakub", "Ondřej"},
		surnames:  []string{"Novák/Nováková", "Svoboda/Svobodová", "Dvořák/Dvořáková", "Černý/Černá", "Procházka/Procházková", "Kučera/Kučerová"},
		languages: []string{"cs", "en"},
	},
	"HU": {
		female:    []string{"Eszter", "Katalin", "Zsófia", "Anna", "Réka"},
		male:      []string{"László", "Gábor", "Péter", "Zoltán", "Balázs"},
		surnames:  []string{"Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss"},
		languages: []string{"hu", "en"},
	},
	"IL": {
		female:    []string{"Noa", "Tamar", "Maya", "Yael", "Shira", "Michal"},
		male:      []string{"Yossi", "Eitan", "Omer", "Amit", "Noam", "Avi"},
		surnames:  []string{"Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Shapiro", "Katz"},
		languages: []string{"he", "en"},
	},
	"RO": {
		female:    []string{"Ioana", "Andreea", "Elena", "Mihaela", "Cristina"},
		male:      []string{"Andrei", "Mihai", "Alexandru", "Bogdan", "Radu"},
		surnames:  []string{"Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Constantin"},
		languages: []string{"ro", "en"},
	},
	"SI": {
		female:    []string{"Maja", "Nina", "Petra", "Urška", "Tina"},
		male:      []string{"Luka", "Matej", "Jure", "Rok", "Gregor"},
		surnames:  []string{"Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik"},
		languages: []string{"sl", "en"},
	},
	"TR": {
		female:    []string{"Ayşe", "Elif", "Zeynep", "Merve", "Deniz"},
		male:      []string{"Mehmet", "Emre", "Burak", "Can", "Murat"},
		surnames:  []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın"},
		languages: []string{"tr", "en"},
	},
	"HR": {
		female:    []string{"Ana", "Ivana", "Petra", "Marija"},
		male:      []string{"Ivan", "Marko", "Tomislav", "Luka"},
		surnames:  []string{"Horvat", "Kovačević", "Babić", "Marić", "Jurić"},
		languages: []string{"hr", "en"},
	},
	"EE": {
		female:    []string{"Kadri", "Liis", "Triin", "Kristiina"},
		male:      []string{"Martin", "Rasmus", "Tanel", "Kristjan"},
		surnames:  []string{"Tamm", "Saar", "Sepp", "Mägi", "Kask"},
		languages: []string{"et", "en"},
	},
	"LT": {
		female:    []string{"Rūta", "Eglė", "Greta", "Lina"},
		male:      []string{"Tomas", "Mantas", "Lukas", "Darius"},
		surnames:  []string{"Kazlauskas/Kazlauskienė", "Petrauskas/Petrauskienė", "Jankauskas/Jankauskienė", "Stankevičius/Stankevičienė"},
		languages: []string{"lt", "en"},
	},
}

// poolAlias lets countries share the pool of a language spoken there.
var poolAlias = map[string]string{
	"AT": "DE", "CH": "DE", "LU": "FR", "BE": "NL", "UK": "EN", "IE": "EN", "US": "EN", "CA": "EN", "AU": "EN",
	"MT": "EN", "CY": "EL", "SK": "CZ", "RS": "HR", "BA": "HR", "LV": "LT", "IS": "NO",
}

// fallbackPool covers every other country with internationally common names.
var fallbackPool = namePool{
	female:    []string{"Amina", "Sara", "Nadia", "Leila", "Grace", "Mira", "Lina", "Esther"},
	male:      []string{"Samuel", "David", "Daniel", "Omar", "Joseph", "Adam", "Peter", "Karim"},
	surnames:  []string{"Mensah", "Okafor", "Haddad", "Mwangi", "Banda", "Nkosi", "Rahman", "Chen", "Kim", "Singh"},
	languages: []string{"en"},
}

// poolFor returns the name pool for a CORDIS country code.
func poolFor(country string) namePool {
	if alias, ok := poolAlias[country]; ok {
		country = alias
	}
	if p, ok := namePools[country]; ok {
		return p
	}
	return fallbackPool
}
